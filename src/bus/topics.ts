/**
 * Every topic on the bus and the payload it carries. A typo in a topic name or a payload of the wrong shape
 * is a compile error wherever a message is published, subscribed to or requested.
 *
 * Naming: `domain.event`, events in the past tense, commands imperative; lifecycle under `agent.*`,
 * process-wide under `system.*`.
 */
import type { AgentState } from '../agents/agent-state';
import type { BotConfig } from '../config/schema';
import type { ConfigChange } from '../config/diff-config';
import type { Fill, Order, OrderDenial } from '../execution/types';
import type { ResumedNotice, StaleNotice } from '../market/live/types';
import type { Candle, Tick } from '../market/types';
import type { RunSummary } from '../portfolio/summary';
import type { ClosedTrade, PortfolioSnapshot } from '../portfolio/types';

export interface AgentStateChanged {
  agent: string;
  from: AgentState;
  to: AgentState;
  /** Why an agent faulted; absent on ordinary transitions. */
  error?: string;
}

export interface AgentErrorReported {
  agent: string;
  topic: string;
  error: string;
}

export interface AgentHeartbeat {
  agent: string;
}

export interface SystemStarted {
  agents: string[];
}

export interface SystemStopping {
  reason: string;
}

export interface ConfigChanged {
  applied: ConfigChange[];
  /** Keys that changed on disk but only take effect after a restart. */
  needRestart: string[];
}

/**
 * The closed candles of one candle period, every symbol's in the order the market gave them (live data:
 * the candles that arrived together). Published twice: as `market.candles`, for the agents that act on
 * them, then as `market.period`, for the books.
 */
export interface MarketPeriod {
  /** The period's open time, as its candles carry it (live data: the newest one's). */
  time: number;
  readonly candles: readonly Candle[];
}

export interface MarketEnded {
  /** Candle periods played. */
  candles: number;
  reason: string;
}

/** A strategy's decision on a closed candle. */
export interface Signal {
  symbol: string;
  /** reduce: sell `fraction` of the position. */
  action: 'enter' | 'exit' | 'reduce';
  /** 0..1: how sure the strategy is. */
  strength: number;
  reason: string;
  strategy: string;
  /** Open time of the candle it was decided on, and its close price. */
  candleTime: number;
  price: number;
  /** The strategy's own stop-loss / take-profit for an entry, in percent; the config's apply when absent. */
  stopLossPct?: number;
  takeProfitPct?: number;
  /** An entry's fraction of the usual stake, in (0, 1]. */
  size?: number;
  /** A reduce's fraction of the position, in (0, 1). */
  fraction?: number;
}

/** A strategy's signal that was not sent on, and why. */
export interface SignalRejected {
  symbol: string;
  strategy: string;
  action: 'enter' | 'exit' | 'reduce';
  reason: 'warm-up' | 'aggregation' | 'cooldown' | 'risk';
  /** One sentence: which rule, with its numbers. */
  detail: string;
  candleTime: number;
}

export interface StrategyDisabled {
  strategy: string;
  error: string;
}

export interface OrderSubmitted {
  order: Order;
}
export interface OrderFilled {
  order: Order;
  fill: Fill;
}
export interface OrderDenied {
  order: Order;
  denial: OrderDenial;
}
export interface OrderCanceled {
  order: Order;
  reason: string;
}

/** The books marked to the market at a period's close: what moved when no fill changed the positions. */
export interface PortfolioMarked {
  time: number;
  equity: number;
  positionsValue: number;
}

/** The last word of the portfolio at shutdown: what the summary and the --out files are made of. */
export interface PortfolioFinal {
  summary: RunSummary;
  /** Every closed trade of the run when `run.out` is set (for trades.csv); empty otherwise. */
  closedTrades: ClosedTrade[];
}

/** Broadcast topics: publish/subscribe. */
export interface EventTopics {
  'agent.state': AgentStateChanged;
  'agent.error': AgentErrorReported;
  'agent.heartbeat': AgentHeartbeat;
  'system.started': SystemStarted;
  'system.stopping': SystemStopping;
  'config.changed': ConfigChanged;
  'market.tick': Tick;
  /**
   * A period's closed candles, all symbols at once: one message per period rather than per candle. Fills
   * at their opens and decisions at their closes happen here.
   */
  'market.candles': MarketPeriod;
  /**
   * The same candles once everything they caused has happened: the books mark positions at their closes
   * here, after the period's fills, so no equity is taken half-way through a period.
   */
  'market.period': MarketPeriod;
  /** The source has no more data, or the --candles limit was reached. */
  'market.ended': MarketEnded;
  /** Live data: no update from these symbols for too long; no new entries in them until `market.resumed`. */
  'market.stale': StaleNotice;
  'market.resumed': ResumedNotice;
  signal: Signal;
  'signal.rejected': SignalRejected;
  'strategy.disabled': StrategyDisabled;
  'order.submitted': OrderSubmitted;
  'order.filled': OrderFilled;
  'order.denied': OrderDenied;
  'order.canceled': OrderCanceled;
  /** After every fill: positions or cash changed. */
  'portfolio.updated': PortfolioSnapshot;
  /** At the end of a candle period that moved the equity (a position is open): the new equity, without the positions. */
  'portfolio.marked': PortfolioMarked;
  'portfolio.tradeClosed': ClosedTrade;
  'portfolio.final': PortfolioFinal;
}

export interface HistoryRequest {
  symbol: string;
  timeframe: string;
  /** The last `limit` candles; all kept ones when absent. */
  limit?: number;
}

/** Request/response topics: one handler each, answered through a correlation id. */
export interface RequestTopics {
  'config.get': { request: Record<string, never>; response: BotConfig };
  'market.history': { request: HistoryRequest; response: Candle[] };
  'portfolio.snapshot': { request: Record<string, never>; response: PortfolioSnapshot };
}

export type EventTopic = keyof EventTopics & string;
export type RequestTopic = keyof RequestTopics & string;
export type Topic = EventTopic | RequestTopic;

/** Topics every agent may publish without declaring them: the lifecycle that BaseAgent runs for it. */
export const LIFECYCLE_TOPICS = ['agent.state', 'agent.error', 'agent.heartbeat'] as const satisfies readonly EventTopic[];
