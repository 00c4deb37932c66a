/**
 * What the REST API, its WebSocket and the dashboard may know about and do to a running bot: the one seam
 * between the HTTP side (src/api/) and the bot (src/app/bot-operations.ts implements it). The HTTP side never
 * touches agents or the bus for control; it reads the bus only for metrics and live events.
 */
import type { AgentState } from '../core/agent-state';
import type { BotConfig } from '../config/schema';
import type { Order } from '../execution/types';
import type { Candle } from '../market/types';
import type { AlertRaised } from '../bus/topics';
import type { TradingState } from '../risk/trading-state';
import type { ClosedTrade, PortfolioSnapshot, PositionView } from '../portfolio/types';

export interface AgentReport {
  name: string;
  state: AgentState;
  /** Clock ms it entered this state. */
  since: number;
  lastError?: string;
  messagesIn: number;
  messagesOut: number;
  /** Restarts by the supervisor within `monitor.restart.windowS`. */
  restarts: number;
}

export interface BotStatus {
  mode: 'paper' | 'live';
  /** Clock ms the bot started, and seconds since. */
  startedAt: number;
  uptimeS: number;
  agents: AgentReport[];
  risk: { state: TradingState; protection?: string; reason?: string };
  /** Operator's pause of entries (pause-entries); exits still go. */
  entriesPaused: boolean;
  /** Set once the supervisor gave up restarting an agent. */
  safeMode?: { agent: string; reason: string; since: number };
  data: {
    symbols: string[];
    timeframe: string;
    /** Market time of the last closed candle period, and how long ago (clock ms) it arrived; absent before the first. */
    lastCandleTime?: number;
    ageMs?: number;
    /** Symbols whose live data is stale now. */
    stale: string[];
  };
  strategies: string[];
}

export interface StrategyReport {
  name: string;
  /** The parameters it runs with (strategy.params merged over its defaults). */
  params: Record<string, number | string | boolean>;
  symbols: string[];
  timeframe: string;
}

export interface TradesQuery {
  /** Exit time bounds, clock ms, inclusive. */
  from?: number;
  to?: number;
  /** Newest first, at most this many (default 100, at most 1000). */
  limit?: number;
}

export interface EquityPoint {
  time: number;
  equity: number;
}

/** An operator's command was carried out: the sentence the log has too. */
export interface ControlResult {
  ok: true;
  detail: string;
}

export { ControlRefused } from '../core/errors';

/** What the WebSocket pushes, as `{type, data}` JSON, one per message. */
export type LiveEvent =
  | { type: 'fill'; data: { clientOrderId: string; symbol: string; side: 'buy' | 'sell'; qty: number; price: number; fee: number; reason: string; time: number } }
  | { type: 'order'; data: { event: 'submitted' | 'denied' | 'canceled'; order: Order; detail?: string } }
  | { type: 'equity'; data: EquityPoint }
  | { type: 'positions'; data: PositionView[] }
  | { type: 'trade'; data: ClosedTrade }
  | { type: 'candle'; data: Candle }
  | { type: 'agent'; data: { agent: string; from: string; to: string; error?: string } }
  | { type: 'risk'; data: { state: TradingState; protection: string; reason: string } }
  | { type: 'alert'; data: AlertRaised }
  | { type: 'control'; data: { action: string; detail: string; by: string } }
  | { type: 'log'; data: { level: string; message: string; agent?: string; time: number } };

export interface BotControl {
  status(): BotStatus;
  portfolio(): Promise<PortfolioSnapshot>;
  /** Open positions with their unrealized PnL at the last price. */
  positions(): Promise<PositionView[]>;
  /** Orders sent or pending, not yet filled, refused or canceled. */
  orders(): Promise<Order[]>;
  trades(query: TradesQuery): ClosedTrade[];
  /** The equity curve so far, thinned to at most `maxPoints` (default 2000) keeping the first and last. */
  equity(maxPoints?: number): EquityPoint[];
  /** The last candles of a symbol (for the dashboard's chart), oldest first. */
  candles(symbol: string, limit: number): Promise<Candle[]>;
  /** The running configuration, secrets redacted. */
  config(): BotConfig;
  strategies(): StrategyReport[];

  // Control: each resolves with what was done, or rejects with a ControlRefused sentence and changes nothing.
  pauseEntries(by: string): Promise<ControlResult>;
  resumeEntries(by: string): Promise<ControlResult>;
  exitPosition(symbol: string, by: string): Promise<ControlResult>;
  exitAll(by: string): Promise<ControlResult>;
  /** Asks the bot to stop as Ctrl-C would; resolves once asked, before the agents have stopped. */
  stop(by: string): Promise<ControlResult>;
  reloadStrategies(by: string): Promise<ControlResult>;
  restartAgent(name: string, by: string): Promise<ControlResult>;
  /** A reloadable key, validated as the config file's would be. */
  setConfig(key: string, value: unknown, by: string): Promise<ControlResult>;

  /** Every live event as it happens, until the returned function is called. */
  onEvent(listener: (event: LiveEvent) => void): () => void;
}
