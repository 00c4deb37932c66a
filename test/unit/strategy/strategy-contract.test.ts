import { checkStrategy } from '../../../src/strategy/load-strategy';
import { StrategyRunner } from '../../../src/strategy/strategy-runner';
import { defineStrategy, type Intent, type StrategyContext, type StrategyFill } from '../../../src/strategy/types';
import { candlesFromCloses } from './candles';

/** A strategy that answers what the test scripts, per candle count, and records what it was told. */
function probe(script: Record<number, Intent> = {}, options: { historyLength?: number; warmup?: number } = {}) {
  const seen: Array<{ count: number; time: number; history: number[] }> = [];
  const events: string[] = [];
  const definition = defineStrategy({
    name: 'probe',
    description: 'test probe',
    params: {},
    warmup: () => options.warmup ?? 1,
    ...(options.historyLength !== undefined && { historyLength: () => options.historyLength! }),
    create: () => ({
      onStart: ({ symbol }) => events.push(`start ${symbol}`),
      onFill: (fill: StrategyFill, context: StrategyContext) => events.push(`fill ${fill.side} ${fill.qty} at candle ${context.candleCount}`),
      onCandle: (candle, context) => {
        seen.push({ count: context.candleCount, time: context.time, history: context.history().map((c) => c.close) });
        return script[context.candleCount] ?? { action: 'none' };
      },
    }),
  });
  return { runner: new StrategyRunner(definition, {}), seen, events };
}

const candles = candlesFromCloses([100, 101, 102, 103, 104, 105]);

describe('the strategy contract', () => {
  it('gives the decision time (the close) and a history window of the configured length, this candle last', () => {
    const { runner, seen } = probe({}, { historyLength: 3 });
    for (const candle of candles) runner.onCandle(candle, undefined);
    expect(seen.map((s) => s.time)).toEqual(candles.map((c) => c.time + 60_000));
    expect(seen.map((s) => s.history)).toEqual([[100], [100, 101], [100, 101, 102], [101, 102, 103], [102, 103, 104], [103, 104, 105]]);
  });

  it('keeps the warm-up length of history by default', () => {
    const { runner, seen } = probe({}, { warmup: 2 });
    for (const candle of candles) runner.onCandle(candle, undefined);
    expect(seen.at(-1)?.history).toEqual([104, 105]);
  });

  it('passes an entry’s own levels and size, and a reduce’s fraction, into the signal', () => {
    const { runner } = probe({
      2: { action: 'enter', reason: 'go', stopLossPct: 2, takeProfitPct: 5, size: 0.5 },
      4: { action: 'reduce', reason: 'take some', fraction: 0.25 },
    });
    const results = candles.map((c) => runner.onCandle(c, undefined));
    expect(results[1]).toEqual({ kind: 'signal', action: 'enter', reason: 'go', strength: 1, stopLossPct: 2, takeProfitPct: 5, size: 0.5 });
    expect(results[3]).toEqual({ kind: 'signal', action: 'reduce', reason: 'take some', strength: 1, fraction: 0.25 });
  });

  it.each([
    [{ action: 'reduce', reason: 'x', fraction: 1 }, /a reduce needs a fraction between 0 and 1/],
    [{ action: 'reduce', reason: 'x' }, /a reduce needs a fraction/],
    [{ action: 'enter', reason: 'x', size: 1.5 }, /an entry's size must be in \(0, 1\]/],
    [{ action: 'enter', reason: 'x', stopLossPct: -1 }, /stopLossPct must be a number of percent/],
    [{ action: 'enter', reason: 'x', takeProfitTiers: [{ atPct: 2, sellPct: 120 }] }, /takeProfitTiers tier 1's sellPct must be a number of percent above 0 and at most 100/],
    [{ action: 'enter', reason: 'x', roi: { soon: 1 } }, /roi has the key "soon", which is not a whole number of minutes/],
  ])('disables a strategy whose intent is malformed: %j', (intent, message) => {
    const { runner } = probe({ 2: intent as Intent });
    const results = candles.map((c) => runner.onCandle(c, undefined));
    expect(results[1]).toMatchObject({ kind: 'failed', error: expect.stringMatching(message) });
    expect(runner.disabled).toBe(true);
  });

  it('calls onStart once per symbol before its first candle, and onFill with the context', () => {
    const { runner, events } = probe();
    runner.onCandle(candles[0]!, undefined);
    runner.onCandle(candles[1]!, undefined);
    runner.onFill({ symbol: candles[0]!.symbol, side: 'buy', qty: 2, price: 101, fee: 0.2, time: 0, reason: 'signal' }, undefined, { qty: 2, avgEntry: 101, entryTime: 0 });
    expect(events).toEqual([`start ${candles[0]!.symbol}`, 'fill buy 2 at candle 2']);
  });

  it('accepts a known timeframe in a definition and refuses an unknown one', () => {
    const base = { name: 'tf', description: 'd', params: {}, warmup: () => 1, create: () => ({ onCandle: () => ({ action: 'none' as const }) }) };
    expect(checkStrategy({ ...base, timeframe: '4h' }).timeframe).toBe('4h');
    expect(() => checkStrategy({ ...base, timeframe: '7m' })).toThrow(/strategy "tf" is not a valid strategy: its timeframe "7m" is not one of 1m 3m/);
  });
});
