import { BusPort } from '../../../src/bus/bus-port';
import type { Envelope } from '../../../src/bus/envelope';
import { EventBus } from '../../../src/bus/event-bus';
import type { BotConfig } from '../../../src/config/schema';
import { SimulatedClock } from '../../../src/core/simulated-clock';

function makeBus(onUnreportableError?: (agent: string, topic: string, error: unknown) => void) {
  const clock = new SimulatedClock(1_700_000_000_000);
  const bus = new EventBus({ clock, freezeMessages: true, ...(onUnreportableError ? { onUnreportableError } : {}) });
  return { clock, bus };
}

const fakeConfig = { log: { level: 'info' } } as unknown as BotConfig;

describe('EventBus publish/subscribe', () => {
  it('delivers a plain-JSON envelope stamped by the clock', () => {
    const { bus, clock } = makeBus();
    const received: Envelope[] = [];
    bus.subscribe('monitor', 'agent.heartbeat', (message) => {
      received.push(message);
    });
    clock.advance(5);
    const sent = bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    expect(received).toEqual([sent]);
    expect(sent).toMatchObject({ topic: 'agent.heartbeat', source: 'data', ts: 1_700_000_000_005, payload: { agent: 'data' } });
    expect(typeof sent.id).toBe('number');
    expect(JSON.parse(JSON.stringify(sent))).toEqual({ id: sent.id, origin: sent.origin, topic: sent.topic, source: 'data', ts: sent.ts, payload: sent.payload });
  });

  it('gives every message a new id', () => {
    const { bus } = makeBus();
    const a = bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    const b = bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    expect(b.id).toBeGreaterThan(a.id);
  });

  it('stops delivering after unsubscribe', () => {
    const { bus } = makeBus();
    const listener = jest.fn();
    const off = bus.subscribe('monitor', 'agent.heartbeat', listener);
    bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    off();
    bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(bus.listenerCount()).toBe(0);
  });

  it('freezes messages so a listener cannot change what others see', () => {
    const { bus } = makeBus();
    bus.subscribe('monitor', 'agent.heartbeat', (message) => {
      (message.payload as { agent: string }).agent = 'changed';
    });
    const errors: string[] = [];
    bus.subscribe('monitor', 'agent.error', ({ payload }) => {
      errors.push(payload.error);
    });
    const sent = bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    expect(sent.payload.agent).toBe('data');
    expect(errors[0]).toMatch(/read.only|Cannot assign/);
  });

  it('rejects unknown topics and wrong payloads at compile time', () => {
    const { bus } = makeBus();
    // @ts-expect-error: not a topic
    expect(() => bus.publish('data', 'agent.hearbeat', { agent: 'data' })).not.toThrow();
    // @ts-expect-error: wrong payload for the topic
    bus.publish('data', 'agent.heartbeat', { agnt: 'data' });
    // @ts-expect-error: a listener for the wrong payload
    bus.subscribe('x', 'agent.heartbeat', (m: Envelope<'agent.heartbeat', { nope: number }>) => void m);
  });
});

describe('EventBus listener isolation', () => {
  it('runs the other listeners when one throws and reports the failure as agent.error', () => {
    const { bus } = makeBus();
    const errors: unknown[] = [];
    bus.subscribe('monitor', 'agent.error', ({ payload, source }) => {
      errors.push({ source, ...payload });
    });
    bus.subscribe('trade', 'agent.heartbeat', () => {
      throw new Error('boom');
    });
    const second = jest.fn();
    bus.subscribe('portfolio', 'agent.heartbeat', second);
    bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    expect(second).toHaveBeenCalledTimes(1);
    expect(errors).toEqual([{ source: 'bus', agent: 'trade', topic: 'agent.heartbeat', error: 'boom' }]);
  });

  it('reports a listener whose promise rejects', async () => {
    const { bus } = makeBus();
    const reported = new Promise((resolve) => bus.subscribe('monitor', 'agent.error', ({ payload }) => resolve(payload)));
    bus.subscribe('trade', 'agent.heartbeat', async () => {
      throw new Error('async boom');
    });
    bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    await expect(reported).resolves.toEqual({ agent: 'trade', topic: 'agent.heartbeat', error: 'async boom' });
  });

  it('hands a failing agent.error listener to the fallback instead of reporting it forever', () => {
    const fallback = jest.fn();
    const { bus } = makeBus(fallback);
    bus.subscribe('monitor', 'agent.error', () => {
      throw new Error('cannot even report');
    });
    bus.subscribe('trade', 'agent.heartbeat', () => {
      throw new Error('boom');
    });
    bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(fallback.mock.calls[0]?.slice(0, 2)).toEqual(['monitor', 'agent.error']);
  });
});

describe('EventBus request/response', () => {
  it('answers with the handler reply, correlated to the request', async () => {
    const { bus } = makeBus();
    const seen: Envelope[] = [];
    bus.tap((message) => seen.push(message));
    bus.handle('config', 'config.get', () => fakeConfig);
    await expect(bus.request('trade', 'config.get', {})).resolves.toEqual(fakeConfig);
    const [request, reply] = seen;
    expect(request).toMatchObject({ topic: 'config.get', source: 'trade', correlationId: undefined });
    expect(reply).toMatchObject({ topic: 'config.get', source: 'config', correlationId: request?.id });
  });

  it('answers with an async handler too', async () => {
    const { bus } = makeBus();
    bus.handle('config', 'config.get', async () => fakeConfig);
    await expect(bus.request('trade', 'config.get', {})).resolves.toBe(fakeConfig);
  });

  it('fails at once when no agent handles the topic', async () => {
    const { bus } = makeBus();
    await expect(bus.request('trade', 'config.get', {})).rejects.toThrow('no handler for topic config.get');
  });

  it('times out on the clock when the handler never answers', async () => {
    const { bus, clock } = makeBus();
    bus.handle('config', 'config.get', () => new Promise<BotConfig>(() => undefined));
    const pending = bus.request('trade', 'config.get', {}, { timeoutMs: 250 });
    clock.advance(249);
    const early = await Promise.race([pending.then(() => 'settled', () => 'settled'), Promise.resolve('pending')]);
    expect(early).toBe('pending');
    clock.advance(1);
    await expect(pending).rejects.toThrow('request config.get timed out after 250 ms');
  });

  it('passes a handler failure on to the requester', async () => {
    const { bus } = makeBus();
    bus.handle('config', 'config.get', () => {
      throw new Error('not ready');
    });
    await expect(bus.request('trade', 'config.get', {})).rejects.toThrow('not ready');
  });

  it('allows one handler per topic', () => {
    const { bus } = makeBus();
    bus.handle('config', 'config.get', () => fakeConfig);
    expect(() => bus.handle('other', 'config.get', () => fakeConfig)).toThrow(
      'topic config.get already has a handler (agent config); agent other cannot add another',
    );
  });
});

describe('EventBus tap', () => {
  it('sees every message, before its listeners, in publish order', () => {
    const { bus } = makeBus();
    const order: string[] = [];
    bus.tap((message) => order.push(`tap:${message.topic}`));
    bus.subscribe('monitor', 'agent.heartbeat', () => {
      order.push('listener:agent.heartbeat');
    });
    bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    bus.publish('orchestrator', 'system.stopping', { reason: 'test' });
    expect(order).toEqual(['tap:agent.heartbeat', 'listener:agent.heartbeat', 'tap:system.stopping']);
  });

  it('stops seeing messages once removed', () => {
    const { bus } = makeBus();
    const tap = jest.fn();
    const off = bus.tap(tap);
    off();
    bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    expect(tap).not.toHaveBeenCalled();
  });
});

describe('BusPort topic ownership', () => {
  it('publishes declared topics and lifecycle topics under the agent name', () => {
    const { bus } = makeBus();
    const seen: Envelope[] = [];
    bus.tap((m) => seen.push(m));
    const port = new BusPort(bus, 'orchestrator', ['system.started']);
    port.publish('system.started', { agents: [] });
    port.publish('agent.heartbeat', { agent: 'orchestrator' });
    expect(seen.map((m) => [m.source, m.topic])).toEqual([
      ['orchestrator', 'system.started'],
      ['orchestrator', 'agent.heartbeat'],
    ]);
  });

  it('refuses to publish or answer a topic the agent did not declare', () => {
    const { bus } = makeBus();
    const port = new BusPort(bus, 'data', ['system.started']);
    expect(() => port.publish('config.changed', { applied: [], needRestart: [] })).toThrow(
      'agent data may not publish config.changed: it declares system.started',
    );
    expect(() => port.handle('config.get', () => fakeConfig)).toThrow('agent data may not publish config.get');
  });
});
