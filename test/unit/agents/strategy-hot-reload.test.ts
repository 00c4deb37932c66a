import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileWatcher } from '../../../src/config/watch-file';
import type { Candle, MarketEvent, MarketSource } from '../../../src/market/types';
import { testApp } from '../../helpers/test-app';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);

/** A strategy file with no imports (so it can live in a temp dir): enters when its candle count hits `enterAt`. */
function strategySource(version: string, enterAt: number, body = ''): string {
  return `${body}
export default {
  name: 'reloadable',
  description: 'Test strategy for hot reload, version ${version}.',
  params: {},
  warmup: () => 1,
  create: () => ({
    onCandle: (candle, context) =>
      !context.position && context.candleCount === ${enterAt} ? { action: 'enter', reason: 'version ${version} at ' + context.candleCount } : { action: 'none' },
  }),
};
`;
}

/** Plays candles only when the test says so. */
function steppedMarket() {
  let next = 0;
  let queued = 0;
  const source: MarketSource = {
    description: 'stepped test market',
    symbols: ['BTC/USDT'],
    timeframe: '1m',
    next: (): MarketEvent[] | undefined => {
      if (queued === 0) return [];
      queued -= 1;
      const candle: Candle = { symbol: 'BTC/USDT', timeframe: '1m', time: T0 + next++ * MINUTE, open: 100, high: 100, low: 100, close: 100, volume: 1 };
      return [{ kind: 'candle', candle }];
    },
  };
  return { source, play: (n: number) => (queued += n) };
}

describe('strategy hot reload', () => {
  let dir: string;
  let file: string;
  const watchers = new Map<string, () => void>();
  const watch: FileWatcher = (watched, onChange) => {
    watchers.set(watched, onChange);
    return () => watchers.delete(watched);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hot-reload-'));
    file = path.join(dir, 'reloadable.ts');
    fs.writeFileSync(file, strategySource('1', 1000));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function started() {
    const market = steppedMarket();
    const app = testApp({
      marketSource: market.source,
      strategiesDir: dir,
      watchFile: watch,
      env: { BOT_MARKET_SYMBOLS: 'BTC/USDT', BOT_ANALYSIS_STRATEGIES: 'reloadable', BOT_CONFIG_WATCH: 'true', BOT_MARKET_SPEED: '100', BOT_TRADE_STOP_LOSS_PCT: '0' },
    });
    const signals: string[] = [];
    app.bus.subscribe('test', 'signal.emitted', ({ payload }) => {
      signals.push(payload.reason);
    });
    await app.orchestrator.startAll();
    const play = async (n: number): Promise<void> => {
      market.play(n);
      app.clock.advance(1000);
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { app, signals, play };
  }

  it('reloads a changed file, warms it up on the history (its candle count goes on), and it trades at once', async () => {
    const { app, signals, play } = await started();
    await play(5);
    expect(signals).toEqual([]);
    // Version 2 enters on its 7th candle: it has seen 5 in the warm-up, so on the 2nd candle after the reload.
    fs.writeFileSync(file, strategySource('2', 7));
    watchers.get(file)!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.logger.messages('info')).toContainEqual('strategy reloadable reloaded and warmed up on 5 candles of history; open positions are kept');
    await play(1);
    expect(signals).toEqual([]);
    await play(1);
    expect(signals).toEqual(['version 2 at 7']);
    await app.orchestrator.stopAll('test over');
  });

  it('keeps the running version when the new file fails to load, is not a strategy, or throws while warming up', async () => {
    const { app, signals, play } = await started();
    fs.writeFileSync(file, strategySource('1', 4));
    watchers.get(file)!();
    await new Promise((resolve) => setImmediate(resolve));
    await play(2);

    // A file that fails as it loads (a half-saved edit, a bad import), then one that is not a strategy any more.
    fs.writeFileSync(file, strategySource('x', 1, "throw new Error('half-saved file');"));
    watchers.get(file)!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.logger.messages('error').at(-1)).toMatch(/^strategy reloadable was changed but not reloaded, the previous version keeps running: strategy file .*reloadable\.ts failed to load: half-saved file/);
    fs.writeFileSync(file, 'export default { name: "reloadable" };');
    watchers.get(file)!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.logger.messages('error').at(-1)).toMatch(/previous version keeps running: .* does not export a valid strategy/);

    fs.writeFileSync(
      file,
      `export default { name: 'reloadable', description: 'throws on its first candle', params: {}, warmup: () => 1,
        create: () => ({ onCandle: () => { throw new Error('boom'); } }) };`,
    );
    watchers.get(file)!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.logger.messages('error').at(-1)).toMatch(/previous version keeps running: onCandle\(\) threw on BTC\/USDT: boom/);
    expect(app.logger.messages('error').filter((m) => m.includes('is disabled'))).toEqual([]);

    // Still the first reloaded version: it enters on its 4th candle.
    await play(2);
    expect(signals).toEqual(['version 1 at 4']);
    await app.orchestrator.stopAll('test over');
  });
});
