/**
 * One process of the cluster benchmark (cluster.bench.ts), on the real bus bridge and Redis transport:
 * - `sink`: counts market messages;
 * - `decider`: places an order (order.submitted) on each market.closes, stamping when it did, as a trade
 *   agent deciding on a candle would;
 * - `analysis`: runs the rsi-macd strategy on its shard's symbols (shard-ring.ts over BENCH_MEMBERS) and
 *   acknowledges every BENCH_WINDOW-th period once it has handled it.
 * Talks to the driver through stdout lines: `ready`, then mode-specific JSON lines.
 */
import { performance } from 'node:perf_hooks';
import { EventBus } from '../src/bus/event-bus';
import { BusBridge } from '../src/bus/remote/bus-bridge';
import { RedisTransport } from '../src/bus/redis/redis-transport';
import { SystemClock } from '../src/core/clock';
import { ownerOf } from '../src/cluster/shard-ring';
import type { Candle, MarketPeriod } from '../src/market/types';
import { SignalPipeline } from '../src/strategy/signal-pipeline';
import { StrategyRunner } from '../src/strategy/strategy-runner';
import { createLogger } from '../src/logging/logger';
import { Redactor } from '../src/logging/redactor';
import rsiMacd from './strategies/rsi-macd';

const env = process.env;
const mode = env['BENCH_MODE']!;
const node = env['BENCH_NODE'] ?? mode;
const clock = new SystemClock();
const wallNow = (): number => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const bus = new EventBus({ clock });
  const transport = new RedisTransport({ url: env['BENCH_REDIS']!, prefix: env['BENCH_PREFIX']!, node });
  const logger = createLogger({ level: 'warn', clock, redactor: new Redactor(), console: { stream: process.stderr, color: false } });
  const bridge = new BusBridge({ bus, transport, key: Buffer.from(env['BOT_BUS_KEY']!), maxSkewMs: 60_000, clock, logger });
  await bridge.start();
  const say = (line: unknown): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

  if (mode === 'sink') {
    let count = 0;
    let first = 0;
    bus.subscribe('bench', 'market.candles', () => {
      if (count++ === 0) first = wallNow();
      if (count === Number(env['BENCH_EXPECT'])) say({ count, first, last: wallNow() });
    });
  } else if (mode === 'decider') {
    bus.subscribe('bench', 'market.closes', (m) => {
      const candle = m.payload.candles[0]!;
      bus.publish('trade', 'order.submitted', { order: { symbol: candle.symbol, placedAt: wallNow(), candleTime: m.payload.time } } as never);
    });
  } else if (mode === 'analysis') {
    const members = env['BENCH_MEMBERS']!.split(',');
    const windowSize = Number(env['BENCH_WINDOW']);
    let signals = 0;
    const pipeline = new SignalPipeline(
      { combine: 'any', threshold: 0.5, weights: {}, cooldownCandles: 0, periodMs: 60_000 },
      { signal: () => void signals++, rejected: () => undefined, failed: () => undefined },
    );
    pipeline.use([new StrategyRunner(rsiMacd, { rsiPeriod: 14, overbought: 70 })]);
    const owned = new Map<string, boolean>();
    const owns = (symbol: string): boolean => {
      let o = owned.get(symbol);
      if (o === undefined) owned.set(symbol, (o = ownerOf(symbol, members) === node));
      return o;
    };
    let periods = 0;
    bus.subscribe('bench', 'market.closes', (m) => {
      const candles: readonly Candle[] = (m.payload as MarketPeriod).candles;
      for (let i = 0; i < candles.length; i++) if (owns(candles[i]!.symbol)) pipeline.onCandle(candles[i]!, undefined);
      periods++;
      if (periods % windowSize === 0) bridge.sendControl('bench.ack', { periods, node }, 'reliable');
    });
  }
  process.on('SIGTERM', () => {
    void bridge.stop().finally(() => process.exit(0));
  });
  say('ready');
}

void main();
