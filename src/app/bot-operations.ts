import type { AgentReport, BotControl, BotStatus, ControlResult, EquityPoint, LiveEvent, StrategyReport, TradesQuery } from '../api/bot-control';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import type { Bus, Unsubscribe } from '../bus/bus';
import { BusPort } from '../bus/bus-port';
import type { EventTopic, EventTopics, RequestTopic, RequestTopics } from '../bus/topics';
import type { RequestOf, ResponseOf } from '../bus/bus';
import { redactConfig } from '../config/redact-config';
import type { BotConfig } from '../config/schema';
import type { Clock } from '../core/clock';
import { ControlRefused, errorMessage } from '../core/errors';
import type { Order } from '../execution/types';
import type { RootLogger } from '../logging/logger';
import type { Candle } from '../market/types';
import type { ClosedTrade, PortfolioSnapshot, PositionView } from '../portfolio/types';
import type { TradingState } from '../risk/trading-state';
import { resolveParams } from '../strategy/resolve-params';
import type { StrategyDefinition } from '../strategy/types';
import { EquityRecord } from './equity-record';
import type { Orchestrator } from './orchestrator';
import type { Supervisor } from './supervisor';

export interface BotOperationsOptions {
  bus: Bus;
  orchestrator: Orchestrator;
  supervisor?: Supervisor;
  clock: Clock;
  logger: RootLogger;
  /** The configuration the bot started with (mode, symbols); the running one, redacted, comes from `config.get`. */
  config: BotConfig;
  strategies: readonly StrategyDefinition[];
  /** Trades closed before this process started (a resumed run's state file). */
  earlierTrades?: readonly ClosedTrade[];
  /** Asks the run to stop, as Ctrl-C does. */
  requestStop: (reason: string) => void;
}

/** Live PnL of the positions is pushed at most this often (clock ms), from the marks. */
const POSITIONS_EVERY_MS = 250;

/** Closed trades kept in memory for the API; older ones are in the state file and trades.csv. */
const TRADES_KEPT = 10_000;

/**
 * The bot side of BotControl: what the REST API and the dashboard read, gathered from the bus as it
 * happens, and their commands, carried out by the agents that own them (trade.entries, trade.exit,
 * analysis.reload, config.set), by the supervisor (restart) or by the run (stop). The HTTP side sees only this.
 */
export class BotOperations implements BotControl {
  private readonly startedAt: number;
  private readonly port: BusPort;
  private readonly equityRecord = new EquityRecord();
  /** The running configuration, redacted, as the ConfigAgent last answered (it changes only on config.changed). */
  private runningConfig: BotConfig;
  private readonly closed: ClosedTrade[];
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly offs: Unsubscribe[] = [];
  private risk: BotStatus['risk'] = { state: 'active' };
  private lastPeriod: { time: number; at: number } | undefined;
  private readonly stale = new Set<string>();
  private entriesPaused = false;
  private positionsNow: PositionView[] = [];

  constructor(private readonly options: BotOperationsOptions) {
    this.port = new BusPort(options.bus, 'api', TOPIC_OWNERS.api);
    this.startedAt = options.clock.now();
    this.closed = [...(options.earlierTrades ?? [])].slice(-TRADES_KEPT);
    this.runningConfig = redactConfig(options.config);
    this.watch();
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
    this.listeners.clear();
  }

  status(): BotStatus {
    const { config, clock, orchestrator, supervisor } = this.options;
    const now = clock.now();
    const agents: AgentReport[] = orchestrator.statuses().map((s) => ({ ...s, restarts: supervisor?.restarts(s.name) ?? 0 }));
    const safe = supervisor?.safeMode;
    return {
      mode: config.mode,
      startedAt: this.startedAt,
      uptimeS: Math.round((now - this.startedAt) / 1000),
      agents,
      risk: { ...this.risk },
      entriesPaused: this.entriesPaused,
      ...(safe ? { safeMode: { ...safe } } : {}),
      data: {
        symbols: [...config.market.symbols],
        timeframe: config.market.timeframe,
        ...(this.lastPeriod ? { lastCandleTime: this.lastPeriod.time, ageMs: now - this.lastPeriod.at } : {}),
        stale: [...this.stale],
      },
      strategies: [...config.analysis.strategies],
    };
  }

  portfolio(): Promise<PortfolioSnapshot> {
    return this.ask('portfolio.snapshot', {});
  }

  async positions(): Promise<PositionView[]> {
    return (await this.portfolio()).positions;
  }

  /** Asked of the trade side when wanted: keeping a copy current would cost a request per order event. */
  orders(): Promise<Order[]> {
    return this.ask('trade.orders', {});
  }

  trades(query: TradesQuery): ClosedTrade[] {
    const limit = Math.min(1000, Math.max(1, query.limit ?? 100));
    const out: ClosedTrade[] = [];
    for (let i = this.closed.length - 1; i >= 0 && out.length < limit; i--) {
      const t = this.closed[i]!;
      if ((query.from === undefined || t.exitTime >= query.from) && (query.to === undefined || t.exitTime <= query.to)) out.push(t);
    }
    return out;
  }

  equity(maxPoints = 2000): EquityPoint[] {
    return this.equityRecord.curve(Math.max(2, maxPoints));
  }

  async candles(symbol: string, limit: number): Promise<Candle[]> {
    const { market } = this.options.config;
    if (!market.symbols.includes(symbol)) throw new ControlRefused(`${symbol} is not traded by this bot (market.symbols: ${market.symbols.join(', ')})`);
    return this.ask('market.history', { symbol, timeframe: market.timeframe, limit });
  }

  config(): BotConfig {
    return this.runningConfig;
  }

  strategies(): StrategyReport[] {
    const config = this.runningConfig;
    return this.options.strategies.map((d) => ({
      name: d.name,
      params: { ...(resolveParams(d, config.strategy.params[d.name]) as Record<string, number | string | boolean>) },
      symbols: [...config.market.symbols],
      timeframe: config.market.timeframe,
    }));
  }

  async pauseEntries(by: string): Promise<ControlResult> {
    return this.done(await this.ask('trade.entries', { paused: true, by }));
  }

  async resumeEntries(by: string): Promise<ControlResult> {
    return this.done(await this.ask('trade.entries', { paused: false, by }));
  }

  async exitPosition(symbol: string, by: string): Promise<ControlResult> {
    return this.done(await this.ask('trade.exit', { symbol, by }));
  }

  async exitAll(by: string): Promise<ControlResult> {
    return this.done(await this.ask('trade.exit', { by }));
  }

  async stop(by: string): Promise<ControlResult> {
    const detail = `stop asked for by an operator (${by})`;
    this.announce('stop', detail, by);
    this.options.requestStop(detail);
    return { ok: true, detail };
  }

  async reloadStrategies(by: string): Promise<ControlResult> {
    return this.done(await this.ask('analysis.reload', { by }));
  }

  async restartAgent(name: string, by: string): Promise<ControlResult> {
    const { supervisor, orchestrator } = this.options;
    if (!orchestrator.agents.some((a) => a.name === name)) {
      throw new ControlRefused(`no agent is named ${name} (agents: ${orchestrator.agents.map((a) => a.name).join(', ')})`);
    }
    try {
      if (supervisor) await supervisor.restartNow(name);
      else await orchestrator.restart(name);
    } catch (err) {
      throw new ControlRefused(`agent ${name} did not come back: ${errorMessage(err)}`);
    }
    const detail = `agent ${name} restarted`;
    this.announce('restart-agent', detail, by);
    return { ok: true, detail };
  }

  async setConfig(key: string, value: unknown, by: string): Promise<ControlResult> {
    return this.done(await this.ask('config.set', { key, value, by }));
  }

  onEvent(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Clock ms positions were last pushed after a mark: at most every POSITIONS_EVERY_MS, however fast the market. */
  private positionsPushedAt = Number.NEGATIVE_INFINITY;
  private positionsAsked = false;

  private done(answer: { detail: string }): ControlResult {
    return { ok: true, detail: answer.detail };
  }

  /** Control carried out by the run itself (stop, restart), published as the agents publish theirs. */
  private announce(action: 'stop' | 'restart-agent', detail: string, by: string): void {
    this.options.logger.info(`operator (${by}): ${detail}`);
    this.port.publish('control.applied', { action, detail, by });
  }

  /** A request as the API: a refusal (or an agent not there to answer) comes back as a ControlRefused sentence. */
  private async ask<K extends RequestTopic>(topic: K, payload: RequestOf<RequestTopics, K>): Promise<ResponseOf<RequestTopics, K>> {
    try {
      return await this.options.bus.request('api', topic, payload);
    } catch (err) {
      if (err instanceof ControlRefused) throw err;
      if (err instanceof Error && err.name === 'ControlRefused') throw new ControlRefused(err.message);
      throw new ControlRefused(`the bot could not answer ${topic}: ${errorMessage(err)}`);
    }
  }

  private emit(event: LiveEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.options.logger.warn(`a live-event listener failed: ${errorMessage(err)}`);
      }
    }
  }

  private on<K extends EventTopic>(topic: K, listener: (payload: EventTopics[K]) => void): void {
    this.offs.push(this.options.bus.subscribe('api', topic, ({ payload }) => listener(payload)));
  }

  private watch(): void {
    this.on('portfolio.updated', (s) => {
      this.equityRecord.add(s.time, s.equity);
      this.positionsNow = s.positions;
      this.emit({ type: 'equity', data: { time: s.time, equity: s.equity } });
      this.emit({ type: 'positions', data: s.positions });
    });
    this.on('portfolio.marked', (m) => {
      this.equityRecord.add(m.time, m.equity);
      this.emit({ type: 'equity', data: { time: m.time, equity: m.equity } });
      const now = this.options.clock.now();
      if (this.listeners.size === 0 || this.positionsNow.length === 0 || this.positionsAsked || now - this.positionsPushedAt < POSITIONS_EVERY_MS) return;
      this.positionsPushedAt = now;
      // One question at a time: a market faster than the answers must not pile requests up.
      this.positionsAsked = true;
      void this.positions()
        .then((p) => this.emit({ type: 'positions', data: p }), () => undefined)
        .finally(() => {
          this.positionsAsked = false;
        });
    });
    this.on('position.closed', (t) => {
      this.closed.push(t);
      if (this.closed.length > TRADES_KEPT) this.closed.splice(0, this.closed.length - TRADES_KEPT);
      this.emit({ type: 'trade', data: t });
    });
    this.on('order.submitted', ({ order }) => {
      this.emit({ type: 'order', data: { event: 'submitted', order } });
    });
    this.on('order.filled', ({ fill }) => {
      const { clientOrderId, symbol, side, qty, price, fee, reason, time } = fill;
      this.emit({ type: 'fill', data: { clientOrderId, symbol, side, qty, price, fee, reason, time } });
    });
    this.on('order.denied', ({ order, denial }) => {
      this.emit({ type: 'order', data: { event: 'denied', order, detail: `[${denial.code}] ${denial.message}` } });
    });
    this.on('order.canceled', ({ order, reason }) => {
      this.emit({ type: 'order', data: { event: 'canceled', order, detail: reason } });
    });
    this.on('market.period', (period) => {
      this.lastPeriod = { time: period.time, at: this.options.clock.now() };
      if (this.listeners.size > 0) for (const candle of period.candles) this.emit({ type: 'candle', data: candle });
    });
    this.on('market.stale', ({ symbols }) => symbols.forEach((s) => this.stale.add(s)));
    this.on('market.resumed', ({ symbols }) => symbols.forEach((s) => this.stale.delete(s)));
    this.on('agent.state', ({ agent, from, to, error }) => this.emit({ type: 'agent', data: { agent, from, to, ...(error !== undefined ? { error } : {}) } }));
    this.on('risk.state', ({ state, protection, reason }) => {
      this.risk = state === 'active' ? { state } : { state, protection, reason };
      this.entriesPaused = protection === 'operator' ? state !== 'active' : this.entriesPaused;
      this.emit({ type: 'risk', data: { state: state as TradingState, protection, reason } });
    });
    this.on('alert.raised', (alert) => this.emit({ type: 'alert', data: alert }));
    this.on('control.applied', ({ action, detail, by }) => {
      if (action === 'pause-entries') this.entriesPaused = true;
      if (action === 'resume-entries') this.entriesPaused = false;
      this.emit({ type: 'control', data: { action, detail, by } });
    });
    this.on('config.changed', () => this.refreshConfig());
    this.on('system.started', () => {
      this.refreshConfig();
    });
    const { logger } = this.options;
    if (logger.onLine) this.offs.push(logger.onLine((line) => this.listeners.size > 0 && this.emit({ type: 'log', data: line })));
  }

  private refreshConfig(): void {
    this.options.bus.request('api', 'config.get', {}).then(
      (config) => {
        this.runningConfig = config;
      },
      () => undefined,
    );
  }
}
