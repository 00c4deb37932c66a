import { loadConfig, type LoadedConfig } from '../config/load-config';
import { TRADING_FLAG_NAMES, tradingFlags, type TradingFlags } from '../config/trading-flags';
import { backtestMinNotional } from './exchange-minimums';

/** What the backtest command line says, already parsed. */
export interface BacktestSettings extends TradingFlags {
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
  logLevel?: string;
  out: string;
}

export const BACKTEST_FLAG_NAMES: Readonly<Record<string, string>> = {
  ...TRADING_FLAG_NAMES,
  'portfolio.startBalance': '--balance',
  'strategy.params': '--params',
  'analysis.strategies': '--strategy',
  'portfolio.rebalance': '--rebalance',
  'log.level': '--log-level',
};

/** What a backtest trades with unless its command line says otherwise; the README's backtest defaults. */
const BACKTEST_TRADING: Readonly<Record<string, unknown>> = {
  'trade.fees.maker': 0.001,
  'trade.fees.taker': 0.001,
  'trade.slippageBps': 0,
  'trade.stake': 'all',
  'trade.stopLossPct': 0,
  'trade.takeProfitPct': 0,
};

/**
 * The configuration a backtest runs with: the user's files and environment as for paper trading, overridden
 * by what a backtest must control. The strategy decides its exit levels (stop-loss, take-profit,
 * ladder, trailing stop, ROI: its protection() and intents), so a paper-trading stop in config/default.json
 * cannot leak into a backtest; only --stop-loss and --take-profit, asked for on this command line, add the
 * bot's where the strategy sets none. Every symbol may hold a position and a position may use the whole account, so `--stake all` means what it says. The minimum order
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
      ...BACKTEST_TRADING,
      ...given(tradingFlags(settings)),
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

/** The keys that are set: an option not given must not blank out the backtest's own value. */
function given(flags: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) out[key] = value;
  return out;
}
