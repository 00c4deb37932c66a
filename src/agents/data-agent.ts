import { PERIOD_PHASES } from '../bus/topics';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import type { Timer } from '../core/clock';
import { CandleHistory } from '../market/candle-history';
import { MarketDataGuard, type DataProblem } from '../market/data-guard';
import { feedPace } from '../market/feed-pace';
import type { LiveFeedHandlers, LiveMarketSource } from '../market/live/types';
import type { Candle, MarketEvent, MarketSource, Tick } from '../market/types';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

export interface DataAgentOptions {
  /** Built by the composition root from the configuration: a source to pull from, or a live one that pushes. */
  source: MarketSource | LiveMarketSource;
  /**
   * 'clock' (paper): the agent plays the source on its clock at `market.speed`. 'caller' (backtests): the
   * caller plays it period by period with step(), in a plain loop with no timer and no await.
   */
  pacing?: 'clock' | 'caller';
  /** Called with each period's events before they are published: a backtest moves its clock here. */
  beforePeriod?: (events: readonly MarketEvent[]) => void;
  /**
   * Candles kept per symbol for `market.history`; the config's `market.historyLength` when absent. A
   * backtest keeps 1 (the newest, for the order check): nothing asks it for history there (no live warm-up,
   * no hot reload), and candles kept for nothing outlive V8's young generation when a market is streamed.
   */
  historyLength?: number;
  /**
   * Candle periods a resumed run had played already (a pull source only): the source is moved past them
   * before the feed starts, and their candles are kept as the history the strategies warm up on, so a
   * deterministic source (the seeded simulated market) goes on exactly where the run stopped.
   */
  resumeAfter?: number;
  /**
   * Spread over processes in lockstep (cluster/lockstep.ts): after publishing each phase of a period the
   * feed waits for this before the next, so the other processes have handled it. Played sources only.
   */
  gate?: PeriodGate;
}

export interface PeriodGate {
  afterPhase(topic: string, time: number): Promise<void>;
}

/**
 * A resumed run keeps up to this many candles per symbol of what it had played, whatever
 * `market.historyLength`, for the strategies' warm-up: enough for indicators with a memory (EMAs) to come
 * out the same to the last bit as if they had never stopped.
 */
const RESUME_HISTORY_MAX = 20_000;

/** A batch of periods yields to the event loop after this long (clock ms), so the API answers while the bot plays flat out. */
const BATCH_BUDGET_MS = 1;
/** Periods owed to the pace are capped at this many timer ticks' worth: a machine too slow for the speed plays what it can. */
const MAX_OWED_TICKS = 10;

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
  private lastPeriodTime = Number.NaN;
  /** Set once the first start has set the feed up: a later start is a restart, which goes on from there. */
  private feedSetUp = false;
  /** Periods the pace has asked for and the feed has not played yet (a batch cut short by its budget). */
  private owed = 0;
  private continuation: Timer | undefined;
  /** The gated feed's loop is running (one at a time). */
  private gatedLoop = false;
  private systemStarted = false;
  private ended = false;

  constructor(
    context: AgentContext,
    private readonly options: DataAgentOptions,
  ) {
    super(
      {
        name: 'data',
        dependsOn: ['config'],
        publishes: TOPIC_OWNERS.data,
      },
      context,
    );
  }

  protected override async onConfigured(): Promise<void> {
    const { source } = this.options;
    this.handle('market.history', ({ payload }) => this.history.get(payload.symbol, payload.timeframe, payload.limit));
    if (this.feedSetUp) return this.goOn(source);
    this.feedSetUp = true;
    const { resumeAfter = 0 } = this.options;
    const kept = this.options.historyLength ?? this.config.market.historyLength;
    const resuming = !isLive(source) && resumeAfter > 0;
    this.history = new CandleHistory(resuming ? Math.max(kept, Math.min(resumeAfter, RESUME_HISTORY_MAX)) : kept);
    this.guard = new MarketDataGuard();
    this.periods = 0;
    this.lastPeriodTime = Number.NaN;
    if (resuming) this.skip(source, resumeAfter);
    if (isLive(source)) {
      await this.warmUp(source);
      // Consumers subscribe while they start; data flows only once all of them run.
      this.subscribe('system.started', () => this.startLive(source));
    } else if ((this.options.pacing ?? 'clock') === 'clock') this.subscribe('system.started', () => this.startFeed());
    else this.playing = true;
    this.subscribe('system.started', () => {
      this.systemStarted = true;
    });
  }

  /**
   * A restart by the supervisor: the source, the history, the guard and the count of periods are the ones
   * the agent had, so the feed goes on with the period after the last one published: no gap, no repeat.
   * A live source reconnects and backfills from its last closed candle, as after a dropped stream.
   */
  private goOn(source: MarketSource | LiveMarketSource): void {
    if (this.ended) return;
    const pacing = this.options.pacing ?? 'clock';
    const play = (): void => {
      this.log.info(`restarted: the feed goes on after ${this.periods} candle periods`);
      if (isLive(source)) this.startLive(source);
      else if (pacing === 'clock') this.startFeed();
      else this.playing = true;
    };
    // Not before the agents paused for this restart run again, or they would miss what it publishes.
    const when = this.systemStarted ? 'system.resumed' : 'system.started';
    let off = (): void => undefined;
    off = this.subscribe(when, () => {
      off();
      this.systemStarted = true;
      play();
    });
  }

  /** Moves the source past `count` periods already played, keeping their candles as history. */
  private skip(source: MarketSource, count: number): void {
    while (this.periods < count) {
      const events = source.next();
      if (!events) break;
      for (const event of events) if (event.kind === 'candle') this.checkAndStore(event.candle);
      this.periods += 1;
    }
    this.log.info(`resumed after ${this.periods} candle periods already played; the strategies warm up on them`);
  }

  /** Live data: the recent past over REST into the history, so strategies can warm up before the first live candle. */
  private async warmUp(source: LiveMarketSource): Promise<void> {
    const candles = await source.warmup(this.config.market.historyLength);
    let kept = 0;
    for (const candle of candles) if (this.checkAndStore(candle) === undefined) kept += 1;
    this.log.info(`warm-up: ${kept} closed candles of ${source.symbols.join(', ')} from ${source.description}`);
  }

  private startLive(source: LiveMarketSource): void {
    this.playing = true;
    this.log.info(`market feed: ${source.description}, live`);
    const failed = new Set<string>();
    // The market connection is down while any symbol's is: one message when the first fails, one when the last is back.
    const down = new Set<string>();
    const handlers: LiveFeedHandlers = {
      onConnection: (symbol, connected, reason, kind) => {
        if (!connected) {
          this.publish('exchange.error', { kind: kind ?? 'Error', message: `${symbol}: ${reason}` });
          if (down.size === 0) this.publish('exchange.connection', { part: 'market', connected: false, reason: `${symbol}: ${reason}` });
          down.add(symbol);
        } else if (down.delete(symbol) && down.size === 0) {
          this.publish('exchange.connection', { part: 'market', connected: true, reason: `${symbol}: ${reason}` });
        }
      },
      onEvents: (events) => {
        if (!this.playing) return;
        this.passPeriod(events);
        this.countLivePeriods(events);
      },
      onStale: (notice) => {
        this.log.warn(`market data stale: nothing from ${notice.symbols.join(', ')} for over ${Math.round(notice.thresholdMs / 1000)} s; no new entries until it returns`);
        this.publish('market.stale', notice);
      },
      onResumed: (notice) => {
        this.log.info(`market data back for ${notice.symbols.join(', ')} after ${Math.round(notice.staleForMs / 1000)} s`);
        this.publish('market.resumed', notice);
      },
      onNotice: (level, message) => this.log[level](message),
      onSymbolFailed: (symbol, error) => {
        failed.add(symbol);
        this.log.error(`market feed of ${symbol} stopped: ${error.message}`);
        if (failed.size === source.symbols.length) this.end('every symbol\'s feed failed');
      },
    };
    source.start(handlers);
    // A fault stops the feed at once: its candle closers keep the last candle passed on, so the restart's
    // feed backfills from there instead of candles going by while nobody takes them.
    this.onRelease(() => {
      if (this.currentState !== 'stopping') void source.stop();
    });
  }

  /** A live period is a candle time: --candles counts those, as it counts periods of the other sources. */
  private countLivePeriods(events: readonly MarketEvent[]): void {
    const limit = this.config.run.candles;
    for (const event of events) {
      if (event.kind !== 'candle' || event.candle.time === this.lastPeriodTime) continue;
      this.lastPeriodTime = event.candle.time;
      this.periods += 1;
      if (limit > 0 && this.periods >= limit && this.playing) return this.end(`${limit} candles played (--candles)`);
    }
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

  protected override async onStop(): Promise<void> {
    this.feed = undefined;
    this.playing = false;
    if (isLive(this.options.source)) await this.options.source.stop();
    const dropped = Object.entries(this.guard.counts()).filter(([, count]) => count > 0);
    if (dropped.length > 0) this.log.warn(`bad market data dropped: ${dropped.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  }

  private startFeed(): void {
    const source = this.options.source as MarketSource;
    const { speed, timeframe } = this.config.market;
    const pace = feedPace(speed, timeframe);
    this.log.info(`market feed: ${source.description}, ${speed === 'realtime' ? 'in real time' : `${speed} candles/s`}`);
    this.playing = true;
    this.owed = 0;
    const most = pace.periodsPerTick * MAX_OWED_TICKS;
    this.feed = this.every(pace.intervalMs, () => {
      this.owed = Math.min(most, this.owed + pace.periodsPerTick);
      this.playOwed();
    });
    this.onRelease(() => {
      this.continuation?.cancel();
      this.continuation = undefined;
    });
  }

  /**
   * Plays the periods the pace owes, for at most BATCH_BUDGET_MS of the clock at a time, then lets the event
   * loop breathe (an API request, a WebSocket, a signal) and goes on at once: at a speed the machine cannot
   * keep up with, the bot plays as fast as it can and still answers within milliseconds.
   */
  private playOwed(): void {
    if (this.options.gate) return void this.playGated(this.options.gate);
    this.owed -= this.pump(this.owed, this.clock.now() + BATCH_BUDGET_MS);
    if (this.owed <= 0 || !this.playing || this.continuation !== undefined) return;
    const goOn = (): void => {
      this.continuation = undefined;
      if (this.currentState === 'running') this.playOwed();
    };
    this.continuation = this.clock.setImmediate ? this.clock.setImmediate(goOn) : this.clock.setTimeout(goOn, 0, { keepAlive: false });
  }

  /**
   * The owed periods one at a time, each phase waiting for the gate: the other processes' work on a phase
   * is done before the next is published. Ends as pump() does.
   */
  private async playGated(gate: PeriodGate): Promise<void> {
    if (this.gatedLoop) return;
    this.gatedLoop = true;
    const limit = this.config.run.candles;
    try {
      while (this.owed > 0 && this.playing && this.currentState === 'running') {
        const events = (this.options.source as MarketSource).next();
        if (!events) return this.end('the market source has no more data');
        this.options.beforePeriod?.(events);
        const period = this.checkPeriod(events);
        if (period !== undefined) {
          for (let i = 0; i < PERIOD_PHASES.length && this.currentState === 'running'; i++) {
            this.publish(PERIOD_PHASES[i]!, period);
            await gate.afterPhase(PERIOD_PHASES[i]!, period.time);
          }
        }
        this.periods += 1;
        this.owed -= 1;
        if (limit > 0 && this.periods >= limit) return this.end(`${limit} candles played (--candles)`);
      }
    } finally {
      this.gatedLoop = false;
    }
  }

  /**
   * Pulls and publishes up to `count` candle periods, until the clock passes `deadline` if one is given;
   * answers how many it played. Ends the feed when the source or --candles runs out.
   */
  private pump(count: number, deadline = Number.POSITIVE_INFINITY): number {
    const limit = this.config.run.candles;
    let played = 0;
    // A fault inside a period (a listener of this agent's) ends the batch: the supervisor restarts the agent,
    // which goes on with the next period, once everyone paused for it runs again.
    while (played < count && this.playing && this.currentState === 'running') {
      const events = (this.options.source as MarketSource).next();
      if (!events) {
        this.end('the market source has no more data');
        break;
      }
      this.options.beforePeriod?.(events);
      this.passPeriod(events);
      this.periods += 1;
      played += 1;
      if (limit > 0 && this.periods >= limit) {
        this.end(`${limit} candles played (--candles)`);
        break;
      }
      if (deadline !== Number.POSITIVE_INFINITY && this.clock.now() >= deadline) break;
    }
    return played;
  }

  /**
   * Publishes a period's ticks one by one, then its candles that pass the guard, together, once per phase of
   * PERIOD_PHASES: fills, decisions, books, in that order whoever subscribed first.
   */
  private passPeriod(events: readonly MarketEvent[]): void {
    const period = this.checkPeriod(events);
    if (period === undefined) return;
    for (let i = 0; i < PERIOD_PHASES.length; i++) this.publish(PERIOD_PHASES[i]!, period);
  }

  /** Publishes the period's ticks and answers its candles that pass the guard, if any. */
  private checkPeriod(events: readonly MarketEvent[]): { time: number; candles: Candle[] } | undefined {
    let candles: Candle[] | undefined;
    let time = -Infinity;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (event.kind === 'tick') this.passTick(event.tick);
      else if (this.passes(event.candle)) {
        (candles ??= []).push(event.candle);
        time = Math.max(time, event.candle.time);
      }
    }
    return candles === undefined ? undefined : { time, candles };
  }

  private passTick(tick: Tick): void {
    const problem = this.guard.checkTick(tick);
    if (problem) this.reject(problem, tick.symbol, 'tick');
    else this.publish('market.tick', tick);
  }

  private passes(candle: Candle): boolean {
    const problem = this.checkAndStore(candle);
    if (problem) this.reject(problem, candle.symbol, 'candle');
    return problem === undefined;
  }

  /** Checks a candle and, when it is fine, adds it to the history (one lookup of its series for both); returns what is wrong with it, if anything. */
  private checkAndStore(candle: Candle): DataProblem | undefined {
    const series = this.history.seriesOf(candle);
    const newest = series.newest();
    const problem = this.guard.checkCandleAfter(candle, newest === undefined ? Number.NaN : newest.time);
    if (problem === undefined) series.push(candle);
    return problem;
  }

  private reject(problem: DataProblem, symbol: string, what: string): void {
    if (this.guard.firstOfKind(problem)) {
      this.log.warn(`dropped a ${what} of ${symbol}: ${problem} (further ones of this kind are only counted)`);
    }
  }

  private end(reason: string): void {
    if (isLive(this.options.source)) void this.options.source.stop();
    this.feed?.cancel();
    this.feed = undefined;
    this.playing = false;
    this.ended = true;
    this.log.info(`market feed ended: ${reason}`);
    this.publish('market.ended', { candles: this.periods, reason });
  }
}

function isLive(source: MarketSource | LiveMarketSource): source is LiveMarketSource {
  return 'kind' in source && source.kind === 'live';
}
