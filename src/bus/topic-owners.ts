import { LIFECYCLE_TOPICS, type Topic } from './topics';

/**
 * Who may publish (or answer) which topic: the one table of the bus's topology. Each agent declares its
 * topics from here, so the in-process check (BusPort) and the check on receipt from another process
 * (bus/wire/receipt-check.ts) enforce the same rules; a topic an agent publishes without an entry here is
 * refused in both places.
 */
export const TOPIC_OWNERS = {
  config: ['config.get', 'config.changed', 'config.set', 'control.applied'],
  data: [
    'market.tick', 'market.candles', 'market.closes', 'market.period', 'market.ended', 'market.history',
    'market.stale', 'market.resumed', 'exchange.connection', 'exchange.error',
  ],
  analysis: ['signal.emitted', 'signal.rejected', 'strategy.disabled', 'analysis.reload', 'control.applied'],
  portfolio: [
    'portfolio.updated', 'portfolio.marked', 'position.changed', 'position.closed', 'portfolio.profitShared',
    'rebalance.planned', 'portfolio.reallocated', 'portfolio.final', 'portfolio.snapshot', 'portfolio.summary', 'portfolio.reconcile',
  ],
  trade: [
    'order.submitted', 'order.filled', 'order.denied', 'order.canceled', 'signal.rejected', 'risk.state', 'rebalance.completed',
    'control.applied', 'trade.orders', 'trade.entries', 'trade.exit', 'exchange.connection', 'exchange.error',
  ],
  monitor: ['agent.silent', 'alert.raised', 'monitor.status'],
  orchestrator: ['system.started', 'system.stopping', 'system.resumed'],
  supervisor: ['agent.restarted', 'system.safeMode'],
  api: ['control.applied'],
  /** The bus itself reports a listener that failed. */
  bus: ['agent.error'],
} as const satisfies Record<string, readonly Topic[]>;

export type Sender = keyof typeof TOPIC_OWNERS;

/** The agents (not the orchestrator, supervisor, API or bus): they also publish the lifecycle topics. */
export const AGENT_NAMES = ['config', 'data', 'analysis', 'portfolio', 'trade', 'monitor'] as const;

const allowed = new Map<string, ReadonlySet<string>>(
  Object.entries(TOPIC_OWNERS).map(([sender, topics]) => [
    sender,
    new Set<string>([...topics, ...((AGENT_NAMES as readonly string[]).includes(sender) ? LIFECYCLE_TOPICS : [])]),
  ]),
);

/** Whether `sender` may publish (or answer) `topic` under the table. */
export function mayPublish(sender: string, topic: string): boolean {
  return allowed.get(sender)?.has(topic) ?? false;
}
