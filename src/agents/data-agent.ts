import type { Timer } from '../core/clock';
import { CandleHistory } from '../market/candle-history';
import { MarketDataGuard, type DataProblem } from '../market/data-guard';
import { feedPace } from '../market/feed-pace';
import type { MarketEvent, MarketSource } from '../market/types';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

export interface DataAgentOptions {
  /** Built by the composition root from the configuration. */
  source: MarketSource;
  /**
   * 'clock' (paper): the agent plays the source on its clock at `market.speed`. 'caller' (backtests): the
   * caller plays it period by period with step(), in a plain loop with no timer and no await.
   */
  pacing?: 'clock' | 'caller';
  /** Called with each period's events before they are published: a backtest moves its clock here. */
  beforePeriod?: (events: readonly MarketEvent[]) => void;
}

/**
 * The single place market data enters the bot. Pulls candle periods from the market source at the
 * configured speed once every agent runs, drops bad data (counted, logged once per kind), publishes ticks
 * and closed candles, keeps a bounded history per symbol and answers `market.history`.
 */
export class DataAgent extends ConfiguredAgent {
  private history = new CandleHistory(1);
  private guard = new MarketDataGuard();
  private feed: Timer | undefined;
  private playing = false;
  private periods = 0;

  constructor(
    context: AgentContext,
    private readonly options: DataAgentOptions,
  ) {
    super({ name: 'data', dependsOn: ['config'], publishes: ['market.tick', 'market.candle', 'market.ended', 'market.history'] }, context);
  }

  protected override onConfigured(): void {
    this.history = new CandleHistory(this.config.market.historyLength);
    this.guard = new MarketDataGuard();
    this.periods = 0;
    this.handle('market.history', ({ payload }) => this.history.get(payload.symbol, payload.timeframe, payload.limit));
    // Consumers subscribe while they start; data flows only once all of them run.
    if ((this.options.pacing ?? 'clock') === 'clock') this.subscribe('system.started', () => this.startFeed());
    else this.playing = true;
  }

  /**
   * Plays one candle period (backtests, `pacing: 'caller'`); false once the feed has ended. Everything the
   * period causes downstream has happened when it returns: the bus is synchronous.
   */
  step(): boolean {
    if (!this.playing || this.currentState !== 'running') return false;
    this.pump(1);
    return this.playing;
  }

  protected override onStop(): void {
    this.feed = undefined;
    this.playing = false;
    const dropped = Object.entries(this.guard.counts()).filter(([, count]) => count > 0);
    if (dropped.length > 0) this.log.warn(`bad market data dropped: ${dropped.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  }

  private startFeed(): void {
    const { speed, timeframe } = this.config.market;
    const pace = feedPace(speed, timeframe);
    this.log.info(`market feed: ${this.options.source.description}, ${speed === 'realtime' ? 'in real time' : `${speed} candles/s`}`);
    this.playing = true;
    this.feed = this.every(pace.intervalMs, () => this.pump(pace.periodsPerTick));
  }

  /** Pulls and publishes up to `count` candle periods; ends the feed when the source or --candles runs out. */
  private pump(count: number): void {
    const limit = this.config.run.candles;
    for (let i = 0; i < count && this.playing; i++) {
      const events = this.options.source.next();
      if (!events) return this.end('the market source has no more data');
      this.options.beforePeriod?.(events);
      for (const event of events) this.pass(event);
      this.periods += 1;
      if (limit > 0 && this.periods >= limit) return this.end(`${limit} candles played (--candles)`);
    }
  }

  private pass(event: MarketEvent): void {
    if (event.kind === 'tick') {
      const problem = this.guard.checkTick(event.tick);
      if (problem) return this.reject(problem, event.tick.symbol, 'tick');
      this.publish('market.tick', event.tick);
    } else {
      const problem = this.guard.checkCandle(event.candle);
      if (problem) return this.reject(problem, event.candle.symbol, 'candle');
      this.history.add(event.candle);
      this.publish('market.candle', event.candle);
    }
  }

  private reject(problem: DataProblem, symbol: string, what: string): void {
    if (this.guard.firstOfKind(problem)) {
      this.log.warn(`dropped a ${what} of ${symbol}: ${problem} (further ones of this kind are only counted)`);
    }
  }

  private end(reason: string): void {
    this.feed?.cancel();
    this.feed = undefined;
    this.playing = false;
    this.log.info(`market feed ended: ${reason}`);
    this.publish('market.ended', { candles: this.periods, reason });
  }
}
