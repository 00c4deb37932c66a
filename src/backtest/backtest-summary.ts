import type { SignalRejected } from '../strategy/signal';
import type { CandleSeries } from '../market/candle-file';
import type { ProfitShareSummary } from '../portfolio/summary';
import type { StrategySummary } from '../portfolio/strategy-books';
import type { BacktestMetrics } from './metrics';
import type { RebalanceSettings } from '../portfolio/rebalance-settings';
import { rebalanceFigures } from './rebalance-figures';
import type { MinNotionalStall } from './min-notional-stall';
import type { BacktestOutcome } from './run-backtest';

type SummaryMetrics = Pick<
  BacktestMetrics,
  'totalReturnPct' | 'buyHoldReturnPct' | 'maxDrawdownPct' | 'sharpe' | 'sortino' | 'trades' | 'winRatePct' | 'profitFactor' | 'exposurePct'
>;

/** summary.json of a backtest: what was played, and how it went (metrics as defined in metrics.ts). */
export interface BacktestSummary extends SummaryMetrics {
  strategy: string;
  symbols: string[];
  timeframe: string;
  /** First and last candle played (ISO-8601 UTC). */
  from: string;
  to: string;
  /** Candle periods played. */
  candles: number;
  startBalance: number;
  finalEquity: number;
  feesPaid: number;
  /** Positions still open at the end, marked at the last close. */
  openPositionsAtEnd: number;
  /** Holes in the data: per file, where and how many candles are missing. */
  gaps: Array<{ symbol: string; from: string; to: string; missing: number }>;
  /** Strategy signals not acted on, counted by reason (warm-up, aggregation, cooldown, risk). */
  rejectedSignals: Record<SignalRejected['reason'], number>;
  /** Only when it happened: from when the account's cash was below trade.minNotional, and the entries refused so. */
  belowMinNotional?: { from: string; freeCash: number; minNotional: number; count: number };
  /** With portfolio.profitShare only: the fees charged and the equity net of what is still owed. */
  profitShare?: ProfitShareSummary;
  /** With portfolio.allocations only: each strategy's sub-ledger figures. */
  byStrategy?: Record<string, StrategySummary>;
  /** With portfolio.rebalance only: rebalances, turnoverPct and holdReturnPct (rebalance-figures.ts). */
  rebalances?: number;
  turnoverPct?: number;
  holdReturnPct?: number;
}

export function backtestSummary(input: {
  strategy: string;
  series: readonly CandleSeries[];
  outcome: BacktestOutcome;
  metrics: BacktestMetrics;
  startBalance: number;
  /** portfolio.rebalance: the summary adds its figures when set. */
  rebalance?: RebalanceSettings | null;
}): BacktestSummary {
  const { outcome, metrics } = input;
  const figures =
    input.rebalance?.targets !== undefined &&
    rebalanceFigures({ done: outcome.rebalances, points: outcome.curve.points(), played: outcome.played, settings: input.rebalance, startBalance: input.startBalance });
  const first = outcome.market.firstTime;
  const last = outcome.market.lastTime;
  return {
    strategy: input.strategy,
    symbols: input.series.map((s) => s.symbol),
    timeframe: input.series[0]?.timeframe ?? '',
    from: first !== undefined ? iso(first) : '',
    to: last !== undefined ? iso(last) : '',
    candles: outcome.periods,
    startBalance: input.startBalance,
    finalEquity: outcome.final.summary.finalEquity,
    totalReturnPct: metrics.totalReturnPct,
    buyHoldReturnPct: metrics.buyHoldReturnPct,
    maxDrawdownPct: metrics.maxDrawdownPct,
    sharpe: metrics.sharpe,
    sortino: metrics.sortino,
    trades: metrics.trades,
    winRatePct: metrics.winRatePct,
    profitFactor: metrics.profitFactor,
    feesPaid: outcome.final.summary.feesPaid,
    exposurePct: metrics.exposurePct,
    openPositionsAtEnd: outcome.final.summary.openPositions,
    gaps: input.series.flatMap((s) => s.gaps.map((g) => ({ symbol: s.symbol, from: iso(g.from), to: iso(g.to), missing: g.missing }))),
    rejectedSignals: { ...outcome.rejectedSignals },
    ...(outcome.belowMinNotional && { belowMinNotional: stallFigures(outcome.belowMinNotional) }),
    ...(outcome.final.summary.profitShare && { profitShare: { ...outcome.final.summary.profitShare } }),
    ...(outcome.final.summary.byStrategy && { byStrategy: outcome.final.summary.byStrategy }),
    ...(figures && { ...figures }),
  };
}

function stallFigures({ from, freeCash, minNotional, count }: MinNotionalStall): NonNullable<BacktestSummary['belowMinNotional']> {
  return { from: iso(from), freeCash, minNotional, count };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
