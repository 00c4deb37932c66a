import { loadConfig, type LoadedConfig } from '../config/load-config';
import { backtestMinNotional } from './exchange-minimums';

/** What the backtest command line says, already parsed. */
export interface BacktestSettings {
  /** Absent: a pure rebalancing backtest (`rebalance` must then be set). */
  strategy?: string;
  /** `portfolio.rebalance`, already parsed from --rebalance. */
  rebalance?: unknown;
  params: Record<string, unknown>;
  symbols: readonly string[];
  /** The candle files, one per symbol in the same order: a name that says the exchange sets the minimum order. */
  files?: readonly string[];
  timeframe: string;
  balance?: string;
  fee?: string;
  slippageBps?: string;
  stake?: string;
  logLevel?: string;
  out: string;
}

export const BACKTEST_FLAG_NAMES: Readonly<Record<string, string>> = {
  'portfolio.startBalance': '--balance',
  'trade.fees.maker': '--fee',
  'trade.fees.taker': '--fee',
  'trade.slippageBps': '--slippage-bps',
  'trade.stake': '--stake',
  'strategy.params': '--params',
  'analysis.strategies': '--strategy',
  'portfolio.rebalance': '--rebalance',
  'log.level': '--log-level',
};

/**
 * The configuration a backtest runs with: the user's files and environment as for paper trading, overridden
 * by what a backtest must control. The strategy alone decides its exit levels (stop-loss, take-profit,
 * ladder, trailing stop, ROI: its protection() and intents), so a paper-trading stop in config/default.json
 * cannot leak into a backtest; every symbol may hold a
 * position and a position may use the whole account, so `--stake all` means what it says. The minimum order
 * is the data's exchange's (exchange-minimums.ts), not config/default.json's, unless the user's file or
 * environment sets one.
 */
export function loadBacktestConfig(
  settings: BacktestSettings,
  sources: { defaultFile: string; configFile?: string; env: Readonly<Record<string, string | undefined>> },
): LoadedConfig {
  return loadConfig({
    ...sources,
    defaults: { 'trade.minNotional': backtestMinNotional(settings.files ?? [], settings.symbols) },
    flags: {
      'market.symbols': [...settings.symbols],
      'market.timeframe': settings.timeframe,
      'analysis.strategies': settings.strategy === undefined ? [] : [settings.strategy],
      'strategy.params': settings.strategy === undefined ? {} : { [settings.strategy]: settings.params },
      'portfolio.rebalance': settings.rebalance,
      'portfolio.startBalance': settings.balance,
      'trade.fees.maker': settings.fee ?? '0.001',
      'trade.fees.taker': settings.fee ?? '0.001',
      'trade.slippageBps': settings.slippageBps ?? '0',
      'trade.stake': settings.stake ?? 'all',
      'trade.stopLossPct': 0,
      'trade.takeProfitPct': 0,
      'trade.takeProfitTiers': [],
      'trade.trailingStopPct': 0,
      'trade.roi': {},
      'risk.maxOpenPositions': Math.max(1, settings.symbols.length),
      'risk.maxPositionPct': 100,
      'run.out': settings.out,
      'run.candles': 0,
      'monitor.statusIntervalMs': 0,
      'config.watch': false,
      'log.level': settings.logLevel ?? 'warn',
    },
    flagNames: BACKTEST_FLAG_NAMES,
  });
}
