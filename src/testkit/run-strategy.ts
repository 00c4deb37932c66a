import { loadBacktestConfig } from '../backtest/backtest-config';
import { backtestSummary } from '../backtest/backtest-summary';
import { outcomeMetrics } from '../backtest/outcome-metrics';
import type { Candle } from '../market/types';
import { resolveParams } from '../strategy/resolve-params';
import type { ParamSpecs, ParamValues } from '../strategy/types';
import { CollectingLogger } from './collecting-logger';
import { runBacktest } from '../backtest/run-backtest';
import { playedSeries } from './played-series';
import { DEFAULT_CONFIG_FILE, STRATEGIES_DIR } from './project-paths';
import { RunRecorder } from './run-recorder';
import type { StrategyRun } from './run-types';
import { loadDefinition, type StrategyRef } from './strategy-source';

export interface RunStrategyOptions<S extends ParamSpecs = ParamSpecs> {
  /** The strategy's parameters; the others keep their defaults. Checked as `--params` is. */
  params?: Partial<ParamValues<S>>;
  /** Starting cash in the quote currency; default 10000. */
  balance?: number;
  /** Fee on every fill, a fraction of notional; default 0.001. */
  fee?: number;
  /** Market orders fill this many basis points worse; default 0. */
  slippageBps?: number;
  /** What an entry spends: 'all' free cash (default), a quote amount, or a percentage of equity like '10%'. */
  stake?: 'all' | number | `${number}%`;
  /** Plays the candles as this symbol or timeframe instead of their own. */
  symbol?: string;
  timeframe?: string;
  /** Where a strategy given by name is found; default the project's strategies/. */
  strategiesDir?: string;
  /**
   * A strategy that throws (or returns a bad intent) is disabled by the engine and the bot goes on; a test
   * usually wants to hear about it, so runStrategy rejects. true resolves with `failure` set instead.
   */
  allowFailure?: boolean;
}

/**
 * Backtests a strategy over candles with the engine of `backtest`: the same six agents, risk gate, fill
 * model and ledger on a simulated clock, the same config (config/default.json, then the backtest's own
 * settings; no BOT_* environment, so a test gives the same result on every machine). A signal decided on
 * candle i's close fills at candle i + 1's open.
 */
export async function runStrategy<S extends ParamSpecs>(strategy: StrategyRef<S>, candles: readonly Candle[], options: RunStrategyOptions<S> = {}): Promise<StrategyRun> {
  const { series, played } = playedSeries(candles, { symbol: options.symbol, timeframe: options.timeframe });
  const strategiesDir = options.strategiesDir ?? STRATEGIES_DIR;
  // Checked before the config is loaded: a bad name must be reported as the strategy's, not as a config error.
  const definition = loadDefinition(strategy as StrategyRef, strategiesDir);
  const source = { definition, name: definition.name };
  const givenParams: Record<string, unknown> = { ...options.params };
  const params = resolveParams(source.definition, givenParams);
  const loaded = loadBacktestConfig(
    {
      strategy: source.name,
      params: givenParams,
      symbols: [series.symbol],
      timeframe: series.timeframe,
      ...(options.balance !== undefined ? { balance: String(options.balance) } : {}),
      ...(options.fee !== undefined ? { fee: String(options.fee) } : {}),
      ...(options.slippageBps !== undefined ? { slippageBps: String(options.slippageBps) } : {}),
      ...(options.stake !== undefined ? { stake: String(options.stake) } : {}),
      // Any non-empty directory makes the portfolio keep its closed trades; nothing is written to it.
      out: 'testkit-run',
    },
    { defaultFile: DEFAULT_CONFIG_FILE, env: {} },
  );
  const logger = new CollectingLogger();
  const recorder = new RunRecorder(played);
  const outcome = await runBacktest({
    loaded,
    series: [series],
    range: {},
    strategiesDir,
    strategies: [definition],
    logger,
    observe: (bus) => recorder.listen(bus),
  });
  const startBalance = loaded.config.portfolio.startBalance;
  const trades = outcome.final.closedTrades;
  const metrics = outcomeMetrics(outcome, loaded);
  const run: StrategyRun = {
    strategy: source.name,
    params,
    candles: played,
    signals: recorder.signals,
    trades,
    summary: backtestSummary({ strategy: source.name, series: [series], outcome, metrics, startBalance }),
    metrics,
    orders: recorder.orders,
    fills: recorder.fills,
    denials: recorder.denials,
    equity: [...outcome.curve.points()],
    failure: recorder.failure,
    warnings: logger.lines,
  };
  if (run.failure && options.allowFailure !== true) {
    const { index, time, error } = run.failure;
    throw new Error(`strategy ${source.name} failed on candle ${index} (${new Date(time).toISOString()}) and was disabled: ${error}`);
  }
  return run;
}
