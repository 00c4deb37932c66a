import { Redis } from 'ioredis';
import type { Envelope } from '../../src/bus/envelope';
import { EventBus } from '../../src/bus/event-bus';
import { BusBridge } from '../../src/bus/remote/bus-bridge';
import { RedisTransport } from '../../src/bus/redis/redis-transport';
import { signFrame } from '../../src/bus/wire/signed-frame';
import { WIRE_VERSION, type WireMessage } from '../../src/bus/wire/wire-message';
import { SystemClock } from '../../src/core/clock';
import { MemoryLogger } from '../helpers/memory-logger';
import { describeWithRedis, startRedis, type RedisServer } from '../helpers/redis-server';

const KEY = Buffer.from('a-bus-key-of-at-least-32-characters!');
const clock = new SystemClock();

interface Node {
  bus: EventBus;
  bridge: BusBridge;
  transport: RedisTransport;
  logger: MemoryLogger;
}

async function node(url: string, name: string, prefix: string, key = KEY): Promise<Node> {
  const bus = new EventBus({ clock });
  const logger = new MemoryLogger();
  const transport = new RedisTransport({ url, prefix, node: name, onNotice: (level, message) => logger[level](message) });
  const bridge = new BusBridge({ bus, transport, key, maxSkewMs: 60_000, clock, logger });
  await bridge.start();
  return { bus, bridge, transport, logger };
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeWithRedis('the bus over a real Redis', () => {
  let redis: RedisServer;
  let prefix = 0;
  const nodes: Node[] = [];
  const make = async (name: string, key = KEY, p = `t${prefix}`): Promise<Node> => {
    const n = await node(redis.url, name, p, key);
    nodes.push(n);
    return n;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  beforeEach(() => {
    prefix++;
  });
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.bridge.stop();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('carries events on both lanes, in order, keeping origin, id, source and time', async () => {
    const a = await make('a');
    const b = await make('b');
    const got: Envelope[] = [];
    b.bus.subscribe('test', 'order.filled', (m) => void got.push(m));
    b.bus.subscribe('test', 'market.candles', (m) => void got.push(m));
    const sent: Envelope[] = [];
    for (let i = 0; i < 50; i++) {
      sent.push(a.bus.publish('trade', 'order.filled', { i } as never));
      sent.push(a.bus.publish('data', 'market.candles', { time: i, candles: [] }));
    }
    await until(() => got.length === 100, '100 messages');
    // Each lane keeps its order, and a period published after a fill is never handed in before it, though
    // they travel on different lanes (a later fill may overtake a period: the lanes are not one queue).
    const ids = (topic: string, list: Envelope[]): number[] => list.filter((m) => m.topic === topic).map((m) => m.id);
    expect(ids('order.filled', got)).toEqual(ids('order.filled', sent));
    expect(ids('market.candles', got)).toEqual(ids('market.candles', sent));
    for (const period of got.filter((m) => m.topic === 'market.candles')) {
      expect(got.findIndex((m) => m.id === period.id - 1)).toBeLessThan(got.indexOf(period));
    }
    expect(got[0]).toEqual({ ...sent[0], correlationId: undefined } as never);
    expect(got[0]!.origin).toBe(a.bus.origin);
    // Nothing comes back to the sender.
    const echoes: Envelope[] = [];
    a.bus.subscribe('test', 'order.filled', (m) => void echoes.push(m));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(echoes).toEqual([]);
  });

  it('answers a request from the process that handles it, passes a failure on, and times out when nobody does', async () => {
    const a = await make('a');
    const b = await make('b');
    b.bus.handle('portfolio', 'portfolio.snapshot', () => ({ cash: 42 }) as never);
    b.bus.handle('trade', 'trade.exit', () => {
      throw new Error('no position in ETH/USDT to sell');
    });
    await expect(a.bus.request('api', 'portfolio.snapshot', {})).resolves.toEqual({ cash: 42 });
    await expect(a.bus.request('api', 'trade.exit', { symbol: 'ETH/USDT', by: 'api' })).rejects.toThrow('no position in ETH/USDT to sell');
    await expect(a.bus.request('api', 'trade.orders', {}, { timeoutMs: 300 })).rejects.toThrow('request trade.orders timed out after 300 ms: no process on the bus answered it');
    expect(b.bridge.stats()['requestsAnswered']).toBe(2);
  });

  it('refuses forged, wrongly keyed, replayed, unowned and old messages put on the Redis, and counts each', async () => {
    const b = await make('b');
    const delivered: Envelope[] = [];
    b.bus.subscribe('test', 'order.filled', (m) => void delivered.push(m));
    const raw = new Redis(redis.url);
    const stream = `t${prefix}:bus`;
    const base: WireMessage = { v: WIRE_VERSION, kind: 'event', origin: 'intruder', id: 1, topic: 'order.filled', source: 'trade', ts: Date.now(), payload: { qty: 1 } };
    const good = signFrame(base, KEY);
    await raw.xadd(stream, '*', 'o', 'intruder', 'f', good.replace('"qty":1', '"qty":100'));
    await raw.xadd(stream, '*', 'o', 'intruder', 'f', signFrame({ ...base, id: 2 }, Buffer.from('another-key-another-key-another-key')));
    await raw.xadd(stream, '*', 'o', 'intruder', 'f', good);
    await raw.xadd(stream, '*', 'o', 'intruder', 'f', good);
    await raw.xadd(stream, '*', 'o', 'intruder', 'f', signFrame({ ...base, id: 3, source: 'analysis' }, KEY));
    await raw.xadd(stream, '*', 'o', 'intruder', 'f', signFrame({ ...base, id: 4, ts: Date.now() - 10 * 60_000 }, KEY));
    await raw.publish(`t${prefix}:broadcast`, `0-0\nintruder\n${signFrame({ ...base, id: 5, topic: 'market.candles', source: 'trade' }, KEY)}`);
    await until(() => b.bridge.check.totalRefused() === 6, '6 refusals');
    expect(b.bridge.check.refused).toMatchObject({ signature: 2, replayed: 1, owner: 2, stale: 1 });
    expect(delivered).toHaveLength(1);
    expect(b.logger.lines.some((l) => l.message.includes('refused a message from the reliable lane (signature, 1 so far)'))).toBe(true);
    await raw.quit();
  });

  it('refuses to start against a Redis without the password, in one sentence without it', async () => {
    const noPassword = redis.url.replace(`:${redis.password}@`, '');
    await expect(node(noPassword, 'x', 'p')).rejects.toThrow(/^Redis at redis:\/\/127\.0\.0\.1:\d+ refused this process's credentials \(NOAUTH/);
    const wrong = redis.url.replace(redis.password, 'wrong-password');
    const error = await node(wrong, 'x', 'p').catch((err: Error) => err);
    expect(String(error)).toContain('refused this process\'s credentials');
    expect(String(error)).not.toContain('wrong-password');
  });

  it('reconnects after Redis restarts and resumes the stream from its last acknowledged entry', async () => {
    const a = await make('a');
    const b = await make('b');
    const got: number[] = [];
    b.bus.subscribe('test', 'order.filled', (m) => void got.push((m.payload as unknown as { i: number }).i));
    for (let i = 0; i < 20; i++) a.bus.publish('trade', 'order.filled', { i } as never);
    await until(() => got.length === 20, 'the first 20');
    await redis.restart();
    // Sent while Redis comes back: queued by the sender, delivered after.
    for (let i = 20; i < 40; i++) a.bus.publish('trade', 'order.filled', { i } as never);
    await until(() => got.length === 40, 'the 40 after the restart', 20_000);
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(b.transport.stats()['reconnects']).toBeGreaterThan(0);
    expect(b.logger.lines.some((l) => l.message.includes('is back'))).toBe(true);
  }, 40_000);
});
