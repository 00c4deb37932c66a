import { EMA, MACD } from 'trading-signals';
import macdCrossover from '../../../strategies/macd-crossover';
import { UserError } from '../../../src/core/errors';
import { resolveParams } from '../../../src/strategy/resolve-params';
import { StrategyRunner } from '../../../src/strategy/strategy-runner';
import type { ParamSpecs, ParamValues, StrategyDefinition } from '../../../src/strategy/types';
import { candlesFromCloses, decisionsOn, testContext } from './candles';

const definition = macdCrossover as unknown as StrategyDefinition;
const defaults = resolveParams(definition, undefined);

function params(values: { fast: number; slow: number; signal: number }): ParamValues<ParamSpecs> {
  return values as unknown as ParamValues<ParamSpecs>;
}

const falling = (from: number, n: number) => Array.from({ length: n }, (_, i) => from - i);
const rising = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/**
 * Falls by 1 for 50 closes (bottom 151 at candle 50), rises by 1 for 40 (top 191 at candle 90), falls again.
 * The MACD line lags the turns; an independent EMA calculation puts the histogram's sign changes at candle 51
 * (+0.008, right after the bottom, where the line had nearly caught up with its signal) and at candle 93
 * (-0.16, three candles after the top).
 */
const V_THEN_PEAK = [...falling(200, 50), ...rising(152, 40), ...falling(190, 40)];

/** When MACD and its signal line both have enough data: the library calls MACD stable as soon as its line exists. */
function firstFullyStableCount(fast: number, slow: number, signal: number): number {
  const macd = new MACD(new EMA(fast), new EMA(slow), new EMA(signal));
  for (let count = 1; count <= 1000; count++) {
    macd.add(100 + Math.sin(count) * 5);
    if (macd.isStable && macd.signal.isStable) return count;
  }
  throw new Error('MACD never became stable');
}

describe('macd-crossover', () => {
  it('has the classic 12/26/9 defaults', () => {
    expect(defaults).toEqual({ fast: 12, slow: 26, signal: 9 });
  });

  it.each([
    [12, 26, 9],
    [2, 3, 2],
    [5, 35, 5],
    [50, 200, 100],
  ])('warms up until MACD(%d, %d, %d) and its signal line are stable', (fast, slow, signal) => {
    expect(definition.warmup(params({ fast, slow, signal }))).toBe(firstFullyStableCount(fast, slow, signal));
  });

  it('enters on the cross above the signal line after the bottom and exits on the cross below after the top', () => {
    const decisions = decisionsOn(definition, defaults, V_THEN_PEAK);
    expect(decisions.map((d) => `${d.intent.action}@${d.candle}`)).toEqual(['enter@51', 'exit@93']);
    expect(decisions[0]?.intent).toEqual({ action: 'enter', reason: 'MACD -6.575 crossed above signal -6.583' });
    expect(decisions[1]?.intent).toEqual({ action: 'exit', reason: 'MACD 5.287 crossed below signal 5.447' });
  });

  it('does not enter when already in a position, nor exit when flat', () => {
    const instance = definition.create(defaults);
    const position = { qty: 1, avgEntry: 200, entryTime: 0 };
    const intents = candlesFromCloses(V_THEN_PEAK).map((candle, i) =>
      instance.onCandle(candle, testContext(candle, i < 70 ? position : undefined, i + 1)),
    );
    expect(intents.filter((intent) => intent.action !== 'none')).toEqual([]);
  });

  it('gives no signal during the warm-up, when the signal line is not yet stable, even on a cross', () => {
    // The bottom is at candle 27 and the MACD line crosses its young signal line on the way up around candle 29,
    // before the 34-candle warm-up; by then the cross is over, so nothing is signalled at all.
    const early = [...falling(200, 27), ...rising(175, 13)];
    expect(decisionsOn(definition, defaults, early)).toEqual([]);
  });

  it('refuses slow <= fast when its parameters are resolved, before any instance exists', () => {
    expect(() => resolveParams(definition, { fast: 26, slow: 12 })).toThrow(UserError);
    expect(() => resolveParams(definition, { fast: 26, slow: 12 })).toThrow(
      'strategy "macd-crossover" refuses these parameters: slow (12) must be greater than fast (26).',
    );
    expect(() => resolveParams(definition, { fast: 12, slow: 12 })).toThrow('slow (12) must be greater than fast (12)');
  });

  it('signals through the runner on the same candles', () => {
    const runner = new StrategyRunner(definition, defaults);
    let position: { qty: number; avgEntry: number; entryTime: number } | undefined;
    const signals: string[] = [];
    candlesFromCloses(V_THEN_PEAK).forEach((candle, i) => {
      const result = runner.onCandle(candle, position);
      if (result.kind !== 'signal') return;
      signals.push(`${result.action}@${i + 1} strength ${result.strength}`);
      position = result.action === 'enter' ? { qty: 1, avgEntry: candle.close, entryTime: candle.time } : undefined;
    });
    expect(signals).toEqual(['enter@51 strength 1', 'exit@93 strength 1']);
  });
});
