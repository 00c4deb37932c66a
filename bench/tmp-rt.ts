import { EventBus } from '../src/bus/event-bus';
import { BusBridge } from '../src/bus/remote/bus-bridge';
import { RedisTransport } from '../src/bus/redis/redis-transport';
import { SystemClock } from '../src/core/clock';
import { MemoryLogger } from '../test/helpers/memory-logger';
import { startRedis } from '../test/helpers/redis-server';
(async () => {
  const redis = await startRedis();
  const clock = new SystemClock();
  const mk = async (n: string) => { const bus = new EventBus({ clock }); const b = new BusBridge({ bus, transport: new RedisTransport({ url: redis.url, prefix: 'p', node: n }), key: Buffer.from('k'.repeat(40)), maxSkewMs: 60000, clock, logger: new MemoryLogger() }); await b.start(); return { bus, b }; };
  const a = await mk('a'); const c = await mk('c');
  // c answers every candle with a fill (reliable); a measures
  c.bus.subscribe('x', 'market.candles', (m) => void c.bus.publish('trade', 'order.filled', { t: (m.payload as any).time } as never));
  for (const lane of ['broadcast->reliable']) {
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = process.hrtime.bigint();
      await new Promise<void>((resolve) => { const off = a.bus.subscribe('y', 'order.filled', () => { off(); resolve(); }); a.bus.publish('data', 'market.candles', { time: i, candles: [] }); });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((x, y) => x - y);
    console.log(lane, 'p50', times[1000]!.toFixed(3), 'p99', times[1980]!.toFixed(3));
  }
  await a.b.stop(); await c.b.stop(); await redis.stop();
})();
