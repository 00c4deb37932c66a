/**
 * `npm run bench -- cluster`: the bus across processes through one real redis-server (started here on
 * 127.0.0.1 with a password), on the bridge and transport the bot uses (bench/cluster-worker.ts):
 * - market messages/s from this process to another (pub/sub, signed, checked, delivered);
 * - candle -> order latency across two processes: a candle published here, the order placed in the other
 *   (one way, on the machine's shared clock), and back here (round trip);
 * - 100 symbols of rsi-macd sharded over 1, 2 and 4 analysis processes, in one run: candles/s with the
 *   market waiting for every shard each window of periods, as lockstep does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { EventBus } from '../src/bus/event-bus';
import { BusBridge } from '../src/bus/remote/bus-bridge';
import { RedisTransport } from '../src/bus/redis/redis-transport';
import { SystemClock } from '../src/core/clock';
import { createLogger } from '../src/logging/logger';
import { Redactor } from '../src/logging/redactor';
import { SimulatedMarket } from '../src/market/simulated-market';
import type { Candle } from '../src/market/types';
import { startRedis, type RedisServer } from '../test/helpers/redis-server';
import { median } from './stats';

const KEY = 'cluster-bench-key-0123456789abcdef0123456789';
const TS_NODE = require.resolve('ts-node/register');
const clock = new SystemClock();
const wallNow = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Worker {
  child: ChildProcess;
  lines: unknown[];
}

function worker(redis: RedisServer, prefix: string, env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, ['-r', TS_NODE, path.join(__dirname, 'cluster-worker.ts')], {
    env: { ...process.env, BENCH_REDIS: redis.url, BENCH_PREFIX: prefix, BOT_BUS_KEY: KEY, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const w: Worker = { child, lines: [] };
  let buffer = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, at)) as unknown;
        buffer = buffer.slice(at + 1);
        if (line === 'ready') resolve(w);
        else w.lines.push(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`a cluster bench worker exited with ${code}`)));
  });
}

async function driver(redis: RedisServer, prefix: string): Promise<{ bus: EventBus; bridge: BusBridge }> {
  const bus = new EventBus({ clock });
  const logger = createLogger({ level: 'warn', clock, redactor: new Redactor(), console: { stream: process.stderr, color: false } });
  const bridge = new BusBridge({ bus, transport: new RedisTransport({ url: redis.url, prefix, node: 'driver' }), key: Buffer.from(KEY), maxSkewMs: 60_000, clock, logger });
  await bridge.start();
  return { bus, bridge };
}

function periodsOf(symbols: number, count: number): Array<{ time: number; candles: Candle[] }> {
  const market = new SimulatedMarket({ seed: 7, symbols: Array.from({ length: symbols }, (_, i) => `S${i}/USDT`), timeframe: '1m', startTime: 1_700_000_000_000, ticksPerCandle: 1 });
  const out: Array<{ time: number; candles: Candle[] }> = [];
  for (let i = 0; i < count; i++) {
    const candles = market.next().flatMap((e) => (e.kind === 'candle' ? [e.candle] : []));
    out.push({ time: candles[0]!.time, candles });
  }
  return out;
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the cluster bench timed out waiting for a worker');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function marketThroughput(redis: RedisServer, round: number, messages: number): Promise<number> {
  const prefix = `market${round}`;
  const sink = await worker(redis, prefix, { BENCH_MODE: 'sink', BENCH_EXPECT: String(messages) });
  const { bus, bridge } = await driver(redis, prefix);
  const period = periodsOf(10, 1)[0]!;
  await sleep(200);
  const start = wallNow();
  for (let i = 0; i < messages; i++) {
    bus.publish('data', 'market.candles', { time: period.time + i, candles: period.candles });
    if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve));
  }
  await until(() => sink.lines.length > 0, 60_000);
  const { last } = sink.lines[0] as { last: number };
  sink.child.kill('SIGTERM');
  await bridge.stop();
  return Math.round(messages / ((last - start) / 1000));
}

async function latency(redis: RedisServer, samples: number): Promise<{ oneWay: number[]; roundTrip: number[] }> {
  const prefix = 'latency';
  const decider = await worker(redis, prefix, { BENCH_MODE: 'decider' });
  const { bus, bridge } = await driver(redis, prefix);
  const sentAt = new Map<number, number>();
  const oneWay: number[] = [];
  const roundTrip: number[] = [];
  bus.subscribe('bench', 'order.submitted', (m) => {
    const { order } = m.payload as unknown as { order: { placedAt: number; candleTime: number } };
    const sent = sentAt.get(order.candleTime);
    if (sent === undefined) return;
    oneWay.push(order.placedAt - sent);
    roundTrip.push(wallNow() - sent);
  });
  const period = periodsOf(1, 1)[0]!;
  await sleep(200);
  const warmUp = Math.min(200, samples / 10);
  for (let i = 0; i < samples + warmUp; i++) {
    const time = period.time + i * 60_000;
    if (i >= warmUp) sentAt.set(time, wallNow());
    bus.publish('data', 'market.closes', { time, candles: [{ ...period.candles[0]!, time }] });
    // A candle every 2 ms: the latency of one candle, not of a queue.
    await sleep(2);
  }
  await until(() => oneWay.length >= samples, 30_000);
  decider.child.kill('SIGTERM');
  await bridge.stop();
  return { oneWay, roundTrip };
}

async function sharded(redis: RedisServer, processes: number, periods: Array<{ time: number; candles: Candle[] }>, windowSize: number): Promise<number> {
  const prefix = `shard${processes}`;
  const members = Array.from({ length: processes }, (_, i) => `analysis-${i + 1}`);
  const workers = await Promise.all(members.map((node) => worker(redis, prefix, { BENCH_MODE: 'analysis', BENCH_NODE: node, BENCH_MEMBERS: members.join(','), BENCH_WINDOW: String(windowSize) })));
  const { bus, bridge } = await driver(redis, prefix);
  const acks = new Map<number, Set<string>>();
  bridge.onControl('bench.ack', (payload) => {
    const { periods: n, node } = payload as { periods: number; node: string };
    let set = acks.get(n);
    if (!set) acks.set(n, (set = new Set()));
    set.add(node);
  });
  await sleep(300);
  const start = wallNow();
  for (let i = 0; i < periods.length; i++) {
    bus.publish('data', 'market.closes', periods[i]!);
    // One window in flight: the next is sent once every shard handled the one before.
    if ((i + 1) % windowSize === 0 && i + 1 > windowSize) await until(() => (acks.get(i + 1 - windowSize)?.size ?? 0) === processes, 60_000);
    else if ((i + 1) % windowSize === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await until(() => (acks.get(periods.length)?.size ?? 0) === processes, 60_000);
  const seconds = (wallNow() - start) / 1000;
  for (const w of workers) w.child.kill('SIGTERM');
  await bridge.stop();
  return Math.round((periods.length * periods[0]!.candles.length) / seconds);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(3));
}

export async function runClusterBench(): Promise<Record<string, unknown>> {
  const redis = await startRedis();
  try {
    const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
    const messages = Number(process.env['BENCH_MESSAGES'] ?? 50_000);
    const rates: number[] = [];
    for (let r = 0; r < rounds; r++) rates.push(await marketThroughput(redis, r, messages));
    const lat = await latency(redis, Number(process.env['BENCH_SAMPLES'] ?? 2000));
    const periods = periodsOf(100, Number(process.env['BENCH_PERIODS'] ?? 2000));
    const shards: Record<string, number[]> = { '1': [], '2': [], '4': [] };
    // The three sizes alternately, so the scaling compares figures measured side by side.
    for (let r = 0; r < rounds; r++) for (const n of [1, 2, 4]) shards[String(n)]!.push(await sharded(redis, n, periods, 20));
    const shardMedian = Object.fromEntries(Object.entries(shards).map(([n, v]) => [n, median(v)]));
    return {
      marketMessagesPerSecond: median(rates),
      marketRounds: rates,
      messagesPerRound: messages,
      candlesPerMessage: 10,
      candleToOrderMs: { oneWayP50: percentile(lat.oneWay, 50), oneWayP99: percentile(lat.oneWay, 99), roundTripP50: percentile(lat.roundTrip, 50), roundTripP99: percentile(lat.roundTrip, 99), samples: lat.oneWay.length },
      sharded100Symbols: { candlesPerSecond: shardMedian, rounds: shards, scaling2: Number((shardMedian['2']! / shardMedian['1']!).toFixed(2)), scaling4: Number((shardMedian['4']! / shardMedian['1']!).toFixed(2)), periods: periods.length },
    };
  } finally {
    await redis.stop();
  }
}
