import type { LoadedConfig } from '../config/load-config';
import { computeMetrics, type BacktestMetrics } from './metrics';
import type { BacktestOutcome } from './run-backtest';

/** A finished backtest's metrics, as the backtest command, the optimizer and the test kit all report them. */
export function outcomeMetrics(outcome: BacktestOutcome, loaded: LoadedConfig): BacktestMetrics {
  return computeMetrics({
    curve: outcome.curve,
    trades: outcome.final.closedTrades,
    startBalance: loaded.config.portfolio.startBalance,
    timeframe: loaded.config.market.timeframe,
    feesPaid: outcome.final.summary.feesPaid,
    // Buy & hold of each symbol over the candles played, first close to last.
    buyHold: [...outcome.played.values()].filter((c) => c.length > 0).map((c) => ({ firstClose: c.close[0]!, lastClose: c.close[c.length - 1]! })),
  });
}
