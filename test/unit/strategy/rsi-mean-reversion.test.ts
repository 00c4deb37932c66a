import { RSI } from 'trading-signals';
import rsiMeanReversion from '../../../strategies/rsi-mean-reversion';
import { resolveParams } from '../../../src/strategy/resolve-params';
import { StrategyRunner } from '../../../src/strategy/strategy-runner';
import type { ParamSpecs, ParamValues, StrategyDefinition } from '../../../src/strategy/types';
import { candlesFromCloses, decisionsOn, testContext } from './candles';

const definition = rsiMeanReversion as unknown as StrategyDefinition;
const defaults = resolveParams(definition, undefined);

/**
 * 15 closes falling by 1 (200 -> 186), then closes rising by 2. With Wilder's smoothing (period 14) the 14
 * losses of 1 give avgLoss 1, avgGain 0, so RSI is 0 at candle 15. Each rise then multiplies avgLoss by 13/14
 * and moves avgGain 1/14 of the way to 2, giving RSI 13.3, 24.2, 33.2 at candles 16, 17, 18 (the cross back
 * above 30), then ... 68.7 at candle 25 and 71.6 at candle 26 (the first close above 70).
 */
const DIP_THEN_RALLY = [...Array.from({ length: 15 }, (_, i) => 200 - i), ...Array.from({ length: 20 }, (_, i) => 188 + 2 * i)];

function firstStableCount(period: number): number {
  const rsi = new RSI(period);
  for (let count = 1; count <= 1000; count++) {
    rsi.add(100 + Math.sin(count) * 5);
    if (rsi.isStable) return count;
  }
  throw new Error(`RSI(${period}) never became stable`);
}

describe('rsi-mean-reversion', () => {
  it('has the documented defaults', () => {
    expect(defaults).toEqual({ period: 14, oversold: 30, overbought: 70 });
  });

  it.each([2, 5, 14, 30, 100])('warms up for exactly the candles RSI(%d) needs to be stable', (period) => {
    expect(definition.warmup({ ...defaults, period } as unknown as ParamValues<ParamSpecs>)).toBe(firstStableCount(period));
  });

  it('enters when RSI crosses back above oversold and exits on the first close above overbought', () => {
    expect(decisionsOn(definition, defaults, DIP_THEN_RALLY)).toEqual([
      { candle: 18, intent: { action: 'enter', reason: 'RSI crossed back above 30 (24.2 -> 33.2)' } },
      { candle: 26, intent: { action: 'exit', reason: 'RSI 71.6 above 70' } },
    ]);
  });

  it('uses its oversold and overbought parameters', () => {
    const params = resolveParams(definition, { oversold: 20, overbought: 80 });
    expect(decisionsOn(definition, params, DIP_THEN_RALLY)).toEqual([
      { candle: 17, intent: { action: 'enter', reason: 'RSI crossed back above 20 (13.3 -> 24.2)' } },
      { candle: 30, intent: { action: 'exit', reason: 'RSI 80.3 above 80' } },
    ]);
  });

  it('does not enter when already in a position, nor exit when flat', () => {
    const instance = definition.create(defaults);
    const position = { qty: 1, avgEntry: 200, entryTime: 0 };
    const inPosition = candlesFromCloses(DIP_THEN_RALLY).map((candle, i) =>
      instance.onCandle(candle, testContext(candle, i < 20 ? position : undefined, i + 1)),
    );
    // In a position through the cross at candle 18, flat through the overbought closes from candle 26.
    expect(inPosition.filter((intent) => intent.action !== 'none')).toEqual([]);
  });

  it('gives no signal during the warm-up even when the closes dip and recover in it', () => {
    // The dip and recovery both happen in the first 14 closes, before RSI(14) exists.
    const early = [100, 95, 90, 85, 80, 85, 90, 95, 100, 105, 110, 115, 120, 125, 130];
    expect(decisionsOn(definition, defaults, early)).toEqual([]);
  });

  it('signals through the runner on the same candles', () => {
    const runner = new StrategyRunner(definition, defaults);
    let position: { qty: number; avgEntry: number; entryTime: number } | undefined;
    const signals: string[] = [];
    candlesFromCloses(DIP_THEN_RALLY).forEach((candle, i) => {
      const result = runner.onCandle(candle, position);
      if (result.kind !== 'signal') return;
      signals.push(`${result.action}@${i + 1}`);
      position = result.action === 'enter' ? { qty: 1, avgEntry: candle.close, entryTime: candle.time } : undefined;
    });
    expect(signals).toEqual(['enter@18', 'exit@26']);
  });
});
