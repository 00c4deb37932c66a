import { createMetrics } from '../../../src/api/metrics';
import { EventBus } from '../../../src/bus/event-bus';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import type { MarketPeriod } from '../../../src/market/types';
import type { OrderSubmitted } from '../../../src/bus/topics';
import type { PortfolioSnapshot } from '../../../src/portfolio/types';

function setup() {
  const bus = new EventBus({ clock: new SimulatedClock(0) });
  const metrics = createMetrics(bus);
  const value = async (name: string, labels: Record<string, string> = {}): Promise<number | undefined> => {
    const metric = await metrics.registry.getSingleMetric(name)!.get();
    const found = metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l) && (Object.keys(labels).length > 0 || !('le' in v.labels)));
    return found?.value;
  };
  const histogram = async (part: 'count' | 'sum'): Promise<number | undefined> => {
    const metric = await metrics.registry.getSingleMetric('bot_candle_to_order_seconds')!.get();
    return (metric.values as Array<{ metricName?: string; value: number }>).find((v) => v.metricName === `bot_candle_to_order_seconds_${part}`)?.value;
  };
  return { bus, metrics, value, histogram };
}

describe('createMetrics', () => {
  it('counts every message on the bus by topic, requests and replies included, at scrape time', async () => {
    const { bus, metrics, value } = setup();
    bus.publish('a', 'agent.heartbeat', { agent: 'a' });
    bus.publish('a', 'agent.heartbeat', { agent: 'a' });
    bus.handle('p', 'portfolio.snapshot', () => ({}) as PortfolioSnapshot);
    await bus.request('a', 'portfolio.snapshot', {});
    expect(await value('bot_bus_messages_total', { topic: 'agent.heartbeat' })).toBe(2);
    expect(await value('bot_bus_messages_total', { topic: 'portfolio.snapshot' })).toBe(2);
    bus.publish('a', 'agent.heartbeat', { agent: 'a' });
    expect(await value('bot_bus_messages_total', { topic: 'agent.heartbeat' })).toBe(3);
    metrics.close();
  });

  it('counts restarts by agent and exchange errors by kind', async () => {
    const { bus, metrics, value } = setup();
    const restart = { attempt: 1, delayMs: 0, reason: 'x', dependants: [] };
    bus.publish('s', 'agent.restarted', { agent: 'trade', ...restart });
    bus.publish('s', 'agent.restarted', { agent: 'trade', ...restart });
    bus.publish('s', 'agent.restarted', { agent: 'data', ...restart });
    bus.publish('x', 'exchange.error', { kind: 'RateLimitExceeded', message: '' });
    expect(await value('bot_agent_restarts_total', { agent: 'trade' })).toBe(2);
    expect(await value('bot_agent_restarts_total', { agent: 'data' })).toBe(1);
    expect(await value('bot_exchange_errors_total', { kind: 'RateLimitExceeded' })).toBe(1);
    metrics.close();
  });

  it('shows the last equity, marked or updated, and the open positions after the last fill', async () => {
    const { bus, metrics, value } = setup();
    const text = await metrics.scrape();
    expect(text).toContain('# TYPE bot_equity gauge');
    bus.publish('p', 'portfolio.updated', { equity: 10_000, positions: [{}, {}] } as unknown as PortfolioSnapshot);
    expect(await value('bot_equity')).toBe(10_000);
    expect(await value('bot_open_positions')).toBe(2);
    bus.publish('p', 'portfolio.marked', { time: 1, equity: 10_100, positionsValue: 5 });
    expect(await value('bot_equity')).toBe(10_100);
    expect(await value('bot_open_positions')).toBe(2);
    metrics.close();
  });

  it('observes the wall time from market.closes to each order.submitted of the same period only', async () => {
    const { bus, metrics, histogram } = setup();
    const period = {} as MarketPeriod;
    const order = {} as OrderSubmitted;
    bus.publish('d', 'order.submitted', order);
    expect(await histogram('count')).toBe(0);
    bus.publish('d', 'market.closes', period);
    bus.publish('t', 'order.submitted', order);
    bus.publish('t', 'order.submitted', order);
    bus.publish('d', 'market.candles', period);
    bus.publish('t', 'order.submitted', order);
    expect(await histogram('count')).toBe(2);
    const sum = (await histogram('sum'))!;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(1);
    metrics.close();
  });

  it('keeps its own registry, and close() unhooks it from the bus', async () => {
    const { bus, metrics } = setup();
    const other = createMetrics(bus);
    expect(other.registry).not.toBe(metrics.registry);
    expect(bus.tapCount()).toBe(2);
    metrics.close();
    other.close();
    expect(bus.tapCount()).toBe(0);
    expect(bus.listenerCount()).toBe(0);
  });
});
