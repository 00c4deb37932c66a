import type { Lane } from '../transport';

/**
 * Market data goes on the loss-tolerant broadcast lane: a period that is lost is superseded by the next one,
 * and waiting for acknowledgements would cost more than the data is worth. So do heartbeats. Everything else
 * (orders, fills, portfolio, signals, lifecycle, system) goes on the reliable lane, where nothing is lost.
 */
const BROADCAST_TOPICS: ReadonlySet<string> = new Set([
  'market.tick', 'market.candles', 'market.closes', 'market.period', 'market.stale', 'market.resumed', 'agent.heartbeat',
]);

export function laneOf(topic: string): Lane {
  return BROADCAST_TOPICS.has(topic) ? 'broadcast' : 'reliable';
}

/**
 * What stays in its process: the lifecycle the orchestrator drives for its own agents (each process has its
 * own), and a config reload (each process has its own ConfigAgent, which reads the same files).
 */
const LOCAL_TOPICS: ReadonlySet<string> = new Set(['system.started', 'system.stopping', 'system.resumed', 'config.changed']);

export function crossesProcesses(topic: string): boolean {
  return !LOCAL_TOPICS.has(topic);
}
