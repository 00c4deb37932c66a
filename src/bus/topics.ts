/**
 * Every topic on the bus and the payload it carries: the one index of the bot's messages. A typo in a topic
 * name or a payload of the wrong shape is a compile error wherever a message is published, subscribed to or
 * requested. The payloads are the domains' own types; only the bus's system messages are defined here.
 *
 * Naming: `domain.event`, events in the past tense (or, for market data, the thing that arrived), commands
 * imperative; lifecycle under `agent.*`, process-wide under `system.*`.
 */
import type { AgentState } from '../core/agent-state';
import type { ConfigChanged } from '../config/diff-config';
import type { BotConfig } from '../config/schema';
import type { RebalanceCompleted } from '../execution/rebalance-run';
import type { Order, OrderCanceled, OrderDenied, OrderFilled, OrderSubmitted } from '../execution/types';
import type { ResumedNotice, StaleNotice } from '../market/live/types';
import type { Candle, HistoryRequest, MarketEnded, MarketPeriod, Tick } from '../market/types';
import type { ProfitShared } from '../portfolio/profit-share-account';
import type { Reallocated } from '../portfolio/reallocation';
import type { RebalancePlan } from '../portfolio/rebalance';
import type { PortfolioFinal, RunSummary } from '../portfolio/summary';
import type { StatusLineInput } from '../monitor/status-line';
import type { BooksReconciliation, ClosedTrade, PortfolioMarked, PortfolioSnapshot, PositionChanged } from '../portfolio/types';
import type { RiskStateChange } from '../risk/protections/protection-set';
import type { Signal, SignalRejected, StrategyDisabled } from '../strategy/signal';

// The payload types, for whoever reads the map and wants the shape of a topic from the same place.
export type { ConfigChanged } from '../config/diff-config';
export type { OrderCanceled, OrderDenied, OrderFilled, OrderSubmitted } from '../execution/types';
export type { HistoryRequest, MarketEnded, MarketPeriod } from '../market/types';
export type { PortfolioFinal } from '../portfolio/summary';
export type { ProfitShared } from '../portfolio/profit-share-account';
export type { RebalancePlan } from '../portfolio/rebalance';
export type { RebalanceCompleted, RebalanceLeg } from '../execution/rebalance-run';
export type { BooksReconciliation, PortfolioMarked, PositionChanged } from '../portfolio/types';
export type { RiskStateChange } from '../risk/protections/protection-set';
export type { Signal, SignalRejected, StrategyDisabled } from '../strategy/signal';

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

/** An agent restarted alone runs again and the agents paused for it are resumed: everything runs as before. */
export interface SystemResumed {
  agent: string;
  dependants: string[];
}

/** The supervisor restarted a faulted or silent agent (after `delayMs` of backoff); its dependants were paused meanwhile. */
export interface AgentRestarted {
  agent: string;
  /** 1 for the first restart within `monitor.restart.windowS`. */
  attempt: number;
  delayMs: number;
  /** Why it was restarted: the fault's message, or the silence. */
  reason: string;
  /** The agents paused while it restarted, resumed in dependency order after it. */
  dependants: string[];
}

/** An agent faulted more than `monitor.restart.max` times in the window: trading is halted, the bot keeps running. */
export interface SafeModeEntered {
  agent: string;
  reason: string;
  restarts: number;
  windowS: number;
}

/** A running agent said nothing for longer than `monitor.silenceThresholdMs`. */
export interface AgentSilent {
  agent: string;
  silentMs: number;
  thresholdMs: number;
}

/** Live: a connection to the exchange dropped or came back. `part`: the market data stream or the order (user) stream. */
export interface ExchangeConnection {
  part: 'market' | 'orders';
  connected: boolean;
  reason: string;
}

/** Live: a request to the exchange failed; `kind` is the ccxt error class (NetworkError, RateLimitExceeded, ...). */
export interface ExchangeErrorReported {
  kind: string;
  message: string;
}

export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Something a person should hear about, as the alert rules (src/alerts/) raise it, after their rate limit. */
export interface AlertRaised {
  /** The rule's name, as in `alerts.rules`. */
  rule: string;
  level: AlertLevel;
  /** One short line. */
  title: string;
  /** The sentence with the figures. */
  message: string;
  /** Clock ms. */
  time: number;
  /** Alerts of this rule held back by the rate limit since the last one sent: this one sums them up. */
  suppressed?: number;
}

/** What an operator asked for through the API (or a test): logged and published by whoever carried it out. */
export const CONTROL_ACTIONS = ['pause-entries', 'resume-entries', 'exit-position', 'exit-all', 'stop', 'reload-strategies', 'restart-agent', 'set-config'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export interface ControlApplied {
  action: ControlAction;
  /** One sentence: what was done (the symbol, the agent, the key and its new value). */
  detail: string;
  /** Who asked: 'api' for the REST API. */
  by: string;
}

/** Entries paused or resumed by an operator: the trade side holds every entry while paused; exits still go. */
export interface EntriesCommand {
  paused: boolean;
  by: string;
}

/** Sell one position (`symbol`) or all of them (`symbol` absent), at the next price, asked by an operator. */
export interface ExitCommand {
  symbol?: string;
  by: string;
}

/**
 * A candle period is played in these phases, in this order, each its own message with the same
 * `MarketPeriod` payload. The order is written here once, and the DataAgent publishes it; no agent relies on
 * the order in which agents subscribed, so it holds when one agent restarts and, later, across processes.
 * 1. `market.candles`: orders fill at the candles' opens (TradeAgent); the books take those fills as they come.
 * 2. `market.closes`: strategies decide at the closes (AnalysisAgent), seeing the positions after the fills.
 * 3. `market.period`: the books mark the positions at the closes and take the period's equity (PortfolioAgent).
 */
export const PERIOD_PHASES = ['market.candles', 'market.closes', 'market.period'] as const;

/** Broadcast topics: publish/subscribe. */
export interface EventTopics {
  'agent.state': AgentStateChanged;
  'agent.error': AgentErrorReported;
  'agent.heartbeat': AgentHeartbeat;
  'system.started': SystemStarted;
  'system.stopping': SystemStopping;
  'system.resumed': SystemResumed;
  'agent.restarted': AgentRestarted;
  'agent.silent': AgentSilent;
  'system.safeMode': SafeModeEntered;
  'exchange.connection': ExchangeConnection;
  'exchange.error': ExchangeErrorReported;
  'alert.raised': AlertRaised;
  /** An operator's command was carried out. */
  'control.applied': ControlApplied;
  'config.changed': ConfigChanged;
  'market.tick': Tick;
  /** Phase 1 of a period (PERIOD_PHASES): its closed candles, all symbols at once; fills at their opens. */
  'market.candles': MarketPeriod;
  /** Phase 2: the same candles; decisions at their closes. */
  'market.closes': MarketPeriod;
  /** Phase 3: the same candles once everything they caused has happened; the books mark at their closes. */
  'market.period': MarketPeriod;
  /** The source has no more data, or the --candles limit was reached. */
  'market.ended': MarketEnded;
  /** Live data: no update from these symbols for too long; no new entries in them until `market.resumed`. */
  'market.stale': StaleNotice;
  'market.resumed': ResumedNotice;
  'signal.emitted': Signal;
  'signal.rejected': SignalRejected;
  'strategy.disabled': StrategyDisabled;
  'order.submitted': OrderSubmitted;
  'order.filled': OrderFilled;
  'order.denied': OrderDenied;
  'order.canceled': OrderCanceled;
  /** The risk engine's trading state changed (active, reducing, halted): which protection, and why. */
  'risk.state': RiskStateChange;
  /** After every fill: positions or cash changed. */
  'portfolio.updated': PortfolioSnapshot;
  /** At the end of a candle period that moved the equity (a position is open): the new equity, without the positions. */
  'portfolio.marked': PortfolioMarked;
  /** The books took a fill: the position it left (none when it closed one), for whoever acts on booked positions. */
  'position.changed': PositionChanged;
  /** A fill emptied a position: the round trip. */
  'position.closed': ClosedTrade;
  /** A profit-share period ended (portfolio.profitShare): the fee charged on the gain above the mark, maybe 0. */
  'portfolio.profitShared': ProfitShared;
  /**
   * A period's close moved a weight past its threshold, `every` passed, or the run started
   * (portfolio.rebalance): the legs that bring the holdings back to the targets, for the trade side to place.
   */
  'rebalance.planned': RebalancePlan;
  /** With portfolio.allocations and portfolio.rebalance: capital moved between the sub-ledgers. */
  'portfolio.reallocated': Reallocated;
  /** A rebalance's last leg filled or was refused: the legs as filled, with the weights before and after. */
  'rebalance.completed': RebalanceCompleted;
  'portfolio.final': PortfolioFinal;
  /** The monitor printed its status line (monitor.statusIntervalMs): its figures; a paper run's --out summary follows it. */
  'monitor.status': StatusLineInput;
}

/** Request/response topics: one handler each, answered through a correlation id. */
export interface RequestTopics {
  /** The running configuration, secrets left out (they never travel on the bus). */
  'config.get': { request: Record<string, never>; response: BotConfig };
  'market.history': { request: HistoryRequest; response: Candle[] };
  'portfolio.snapshot': { request: Record<string, never>; response: PortfolioSnapshot };
  /** The run's figures so far, as summary.json has them at the end. */
  'portfolio.summary': { request: Record<string, never>; response: RunSummary };
  /** A live start's reconciliation: the books take the account's balances; answered with the books after. */
  'portfolio.reconcile': { request: BooksReconciliation; response: PortfolioSnapshot };
  /** Orders sent or pending, not yet filled, refused or canceled (the API's /api/orders). */
  'trade.orders': { request: Record<string, never>; response: Order[] };
  /** An operator's commands to the trade side: answered with the sentence of what was done, or refused (rejects). */
  'trade.entries': { request: EntriesCommand; response: { detail: string } };
  'trade.exit': { request: ExitCommand; response: { detail: string } };
  /** Re-reads every strategy file and swaps in the ones that load (AnalysisAgent). */
  'analysis.reload': { request: { by: string }; response: { detail: string } };
  /** Sets a reloadable key as a config file would, validated the same way (ConfigAgent); refused with the validation's sentence. */
  'config.set': { request: { key: string; value: unknown; by: string }; response: { detail: string } };
}

export type EventTopic = keyof EventTopics & string;
export type RequestTopic = keyof RequestTopics & string;
export type Topic = EventTopic | RequestTopic;

/** Topics every agent may publish without declaring them: the lifecycle that BaseAgent runs for it. */
export const LIFECYCLE_TOPICS = ['agent.state', 'agent.error', 'agent.heartbeat'] as const satisfies readonly EventTopic[];
