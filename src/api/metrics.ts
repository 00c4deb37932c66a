/**
 * Prometheus metrics of the bot, from the bus. The tap runs for every message on the bus (the paper bot's
 * hot path, about a million a second in a backtest), so it only bumps a number in a Map; the figures go
 * into prom-client at scrape time, in each metric's collect(). The rare topics (restarts, exchange errors,
 * equity, orders) are plain subscriptions. A Registry of its own, never prom-client's global one, so two
 * servers (or tests) never share counters.
 */
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Bus, Unsubscribe } from '../bus/bus';

export interface BotMetrics {
  readonly registry: Registry;
  /** The text of a scrape, in the Prometheus exposition format. */
  scrape(): Promise<string>;
  readonly contentType: string;
  close(): void;
}

/** Wall-time buckets for candle close -> order submitted, in seconds: 1 us to 1 s. */
const LATENCY_BUCKETS = [1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 5e-3, 1e-2, 0.1, 1];

export function createMetrics(bus: Bus): BotMetrics {
  const registry = new Registry();
  const messages = new Map<string, number>();
  const restarts = new Map<string, number>();
  const exchangeErrors = new Map<string, number>();
  const latest = { equity: NaN, openPositions: NaN };
  /** performance.now() of the last market.closes, NaN once its period is over. */
  let closesAt = NaN;

  const pushCounts = (metric: Counter<string>, label: string, counts: ReadonlyMap<string, number>): void => {
    metric.reset();
    for (const [value, count] of counts) metric.inc({ [label]: value }, count);
  };

  new Counter({
    name: 'bot_bus_messages_total',
    help: 'Messages published on the bus, by topic (requests and replies included); rate() gives events per second.',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      pushCounts(this, 'topic', messages);
    },
  });
  const latency = new Histogram({
    name: 'bot_candle_to_order_seconds',
    help: 'Wall time from a period\'s market.closes to each order.submitted it caused, in seconds.',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'bot_equity',
    help: 'Account equity (cash + positions at the last price) in the quote currency, as last marked or updated.',
    registers: [registry],
    collect() {
      if (Number.isFinite(latest.equity)) this.set(latest.equity);
    },
  });
  new Gauge({
    name: 'bot_open_positions',
    help: 'Open positions after the last fill.',
    registers: [registry],
    collect() {
      if (Number.isFinite(latest.openPositions)) this.set(latest.openPositions);
    },
  });
  new Counter({
    name: 'bot_agent_restarts_total',
    help: 'Agents restarted by the supervisor, by agent.',
    labelNames: ['agent'],
    registers: [registry],
    collect() {
      pushCounts(this, 'agent', restarts);
    },
  });
  new Counter({
    name: 'bot_exchange_errors_total',
    help: 'Failed exchange requests, by kind (the ccxt error class).',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      pushCounts(this, 'kind', exchangeErrors);
    },
  });

  const bump = (counts: Map<string, number>, key: string): void => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const unsubscribes: Unsubscribe[] = [
    bus.tap((message) => bump(messages, message.topic)),
    bus.subscribe('api', 'agent.restarted', (m) => bump(restarts, m.payload.agent)),
    bus.subscribe('api', 'exchange.error', (m) => bump(exchangeErrors, m.payload.kind)),
    bus.subscribe('api', 'portfolio.marked', (m) => {
      latest.equity = m.payload.equity;
    }),
    bus.subscribe('api', 'portfolio.updated', (m) => {
      latest.equity = m.payload.equity;
      latest.openPositions = m.payload.positions.length;
    }),
    // A latency measurement, not domain time: performance.now() is the monotonic wall clock, which the
    // injected Clock (simulated in a backtest) cannot give. It never decides anything.
    bus.subscribe('api', 'market.closes', () => {
      closesAt = performance.now();
    }),
    bus.subscribe('api', 'market.candles', () => {
      closesAt = NaN;
    }),
    bus.subscribe('api', 'order.submitted', () => {
      if (!Number.isNaN(closesAt)) latency.observe((performance.now() - closesAt) / 1000);
    }),
  ];

  return {
    registry,
    contentType: registry.contentType,
    scrape: () => registry.metrics(),
    close: () => {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    },
  };
}
