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
