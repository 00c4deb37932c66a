import { buildApp } from '../app/build-app';
import type { Bus } from '../bus/bus';
import type { PortfolioFinal } from '../portfolio/summary';
import type { SignalRejected } from '../strategy/signal';
import type { LoadedConfig } from '../config/load-config';
import { SystemClock } from '../core/clock';
import { SimulatedClock } from '../core/simulated-clock';
import type { RootLogger } from '../logging/logger';
import type { CandleSeries } from '../market/candle-file';
import { ReplayMarket } from '../market/replay-market';
import { timeframeMs } from '../market/timeframe';
import type { CandleColumns } from '../market/candle-columns';
import type { MarketSource } from '../market/types';
import type { RebalanceCompleted } from '../execution/rebalance-run';
import type { PortfolioSnapshot } from '../portfolio/types';
import type { StrategyDefinition } from '../strategy/types';
import { quoteCurrencyOf } from '../market/symbols';
import { EquityCurve } from './equity-curve';
import { MinNotionalWatch, type MinNotionalStall } from './min-notional-stall';

export interface BacktestRun {
  /** Config built for the backtest (see backtest-config.ts): it names the strategy, fees, stake... */
  loaded: LoadedConfig;
  series: readonly CandleSeries[];
  /**
   * Plays this instead of a replay of `series` (benchmarks stream generated candles that would not fit in
   * memory); `series` then only feeds `played`.
   */
  market?: BacktestMarket;
  range: { from?: number; to?: number };
  strategiesDir: string;
  /** Strategies handed over as definitions instead of files in strategiesDir (the test kit's inline strategies). */
  strategies?: readonly StrategyDefinition[];
  /** Given the run's bus before any agent starts, to listen to its topics (the test kit records signals and orders). */
  observe?: (bus: Bus) => void;
  logger: RootLogger;
  /** Called every few thousand periods and at the end, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Asked every few thousand periods: true ends the backtest there (--duration); the results cover what was played. */
  shouldStop?: () => boolean;
}

export interface BacktestOutcome {
  final: PortfolioFinal;
  curve: EquityCurve;
  /** True when shouldStop ended it before the data did. */
  stoppedEarly: boolean;
  /** Candles actually played, per symbol, for buy & hold and the report. */
  played: Map<string, CandleColumns>;
  periods: number;
  market: BacktestMarket;
  /** Strategy signals not acted on, by reason. */
  rejectedSignals: Record<SignalRejected['reason'], number>;
  /** With portfolio.rebalance: every rebalance, in order, with its filled legs. */
  rebalances: RebalanceCompleted[];
  /** When the account stopped trading for want of the minimum order (min-notional-stall.ts). */
  belowMinNotional?: MinNotionalStall;
}

/** What a backtest needs of its market: a source that knows its length and time range up front. */
export type BacktestMarket = MarketSource & Pick<ReplayMarket, 'periods' | 'firstTime' | 'lastTime'>;

const PROGRESS_EVERY = 5_000;

/**
 * A backtest is the paper bot itself: the same six agents, the same strategies, risk gate, fill model and
 * ledger, on a simulated clock that follows the replayed candles. The only differences are the market
 * source (candle files) and who paces it: here a plain loop, one candle period per step, no timer, no await.
 */
export async function runBacktest(run: BacktestRun): Promise<BacktestOutcome> {
  const market = run.market ?? new ReplayMarket([...run.series], run.range);
  const stepMs = timeframeMs(run.loaded.config.market.timeframe);
  const clock = new SimulatedClock(market.firstTime ?? 0);
  // A field, not a closure variable: V8 boxes a number stored in a closure, an allocation per period.
  const lastPeriod = { time: 0 };
  const app = buildApp({
    loaded: run.loaded,
    reloadConfig: () => run.loaded,
    clock,
    timeoutClock: new SystemClock(),
    logger: run.logger,
    strategiesDir: run.strategiesDir,
    ...(run.strategies ? { strategies: run.strategies } : {}),
    marketSource: market,
    pacing: 'caller',
    historyLength: 1,
    liveness: false,
    // Decisions happen at a candle's close: the clock stands there while the period is published.
    beforePeriod: (events) => {
      for (const event of events) {
        if (event.kind !== 'candle') continue;
        lastPeriod.time = event.candle.time;
        const closeTime = event.candle.time + stepMs;
        if (closeTime > clock.now()) clock.set(closeTime);
      }
    },
  });

  run.observe?.(app.bus);
  const curve = new EquityCurve();
  let final: PortfolioFinal | undefined;
  // The portfolio speaks only when its books change; the curve takes one point per period from the last word.
  let books = { equity: run.loaded.config.portfolio.startBalance, inPosition: false };
  const { config } = run.loaded;
  const stall = new MinNotionalWatch(config.trade.minNotional, quoteCurrencyOf(config.market.symbols), config.portfolio.startBalance);
  app.bus.subscribe('backtest', 'portfolio.updated', ({ payload }: { payload: PortfolioSnapshot }) => {
    books = { equity: payload.equity, inPosition: payload.positions.length > 0 };
    stall.books(payload);
  });
  app.bus.subscribe('backtest', 'order.denied', ({ payload }) => stall.denied(payload));
  app.bus.subscribe('backtest', 'portfolio.marked', ({ payload }) => {
    books.equity = payload.equity;
  });
  app.bus.subscribe('backtest', 'portfolio.final', ({ payload }) => {
    final = payload;
  });
  const rejectedSignals: Record<SignalRejected['reason'], number> = { 'warm-up': 0, aggregation: 0, cooldown: 0, risk: 0 };
  app.bus.subscribe('backtest', 'signal.rejected', ({ payload }) => {
    rejectedSignals[payload.reason] += 1;
  });

  const rebalances: RebalanceCompleted[] = [];
  app.bus.subscribe('backtest', 'rebalance.completed', ({ payload }) => void rebalances.push(payload));

  await app.orchestrator.startAll();
  let periods = 0;
  let stoppedEarly = false;
  try {
    while (app.data.step()) {
      periods += 1;
      curve.record(lastPeriod.time, books.equity, books.inPosition);
      if (periods % PROGRESS_EVERY === 0) {
        run.onProgress?.(periods, market.periods);
        if (run.shouldStop?.()) {
          stoppedEarly = true;
          break;
        }
      }
    }
    run.onProgress?.(periods, market.periods);
  } finally {
    await app.orchestrator.stopAll('backtest finished');
  }
  if (!final) throw new Error('the portfolio agent did not report the final state of the backtest');
  // The candles played are the files' candles from the first period to the last one played: a view sliced
  // once here rather than collected one by one on the hot path.
  const firstTime = market.firstTime ?? 0;
  const played = new Map(run.series.map((s) => [s.symbol, s.candles.within(firstTime, lastPeriod.time)]));
  const belowMinNotional = stall.result();
  return { final, curve, played, periods, market, stoppedEarly, rejectedSignals, rebalances, ...(belowMinNotional && { belowMinNotional }) };
}
