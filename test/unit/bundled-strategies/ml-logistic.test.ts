import { candlesFromCloses, checkNoLookAhead, range, runStrategy, trend } from '../../../src/testkit';
import '../../../src/testkit/jest';
import { resolveParams } from '../../../src/strategy/resolve-params';
import mlLogistic from '../../../strategies/ml-logistic';

/** The features exist from the 34th close (MACD 12/26/9); the test runs train on 50 samples, not 200. */
const QUICK = { minTrainSamples: 50 };
const QUICK_WARMUP = 34 + 5 + 50 - 1;

/** 150 closes rising 1 % a candle, then 100 falling 1 % a candle (the first falling close is index 150). */
const RISE_THEN_FALL = [
  ...Array.from({ length: 150 }, (_, i) => 100 * 1.01 ** i),
  ...Array.from({ length: 100 }, (_, i) => 100 * 1.01 ** 149 * 0.99 ** (i + 1)),
];

describe('ml-logistic', () => {
  it('has the documented defaults, and warms up for the features, the horizon and the training samples', () => {
    const defaults = resolveParams(mlLogistic, {});
    expect(defaults).toEqual({ horizon: 5, threshold: 0.55, exitThreshold: 0.45, minTrainSamples: 200, learningRate: 0.02, l2: 0.001, seed: 1 });
    expect(mlLogistic.warmup(defaults)).toBe(34 + 5 + 200 - 1);
    expect(mlLogistic.warmup(resolveParams(mlLogistic, QUICK))).toBe(QUICK_WARMUP);
    expect(mlLogistic.warmup(resolveParams(mlLogistic, { horizon: 1, minTrainSamples: 20 }))).toBe(34 + 1 + 20 - 1);
  });

  it('enters on its first counted prediction when every label so far says "higher", and exits once the trend turns', async () => {
    const run = await runStrategy(mlLogistic, candlesFromCloses(RISE_THEN_FALL), { params: QUICK, fee: 0 });
    // Up to the first prediction every close was above the one 5 candles before: all 50 labels are 1.
    expect(run).toEnterAt(QUICK_WARMUP - 1);
    expect(run.signals[0]!.reason).toMatch(/^P\(close in 5 higher\) 0\.\d{3} > 0\.55 \(50 samples\)$/);
    expect(run.signals[0]!.strength).toBeGreaterThan(0.55);
    expect(run.signals.filter((s) => s.action === 'enter' && s.index < 150)).toHaveLength(1);
    // Nothing asks it out while the rise lasts; the fall does, within the horizon of its first candle.
    const firstExit = run.signals.find((s) => s.action === 'exit');
    expect(firstExit!.index).toBeGreaterThanOrEqual(150);
    expect(firstExit!.index).toBeLessThanOrEqual(155);
    expect(run).toExitAt(firstExit!.index);
    expect(run).toExitWithReason(/^P\(close in 5 higher\) 0\.\d{3} < 0\.45 \(\d+ samples\)$/);
  });

  it('gives no signal during its warm-up', async () => {
    const run = await runStrategy(mlLogistic, candlesFromCloses(RISE_THEN_FALL.slice(0, QUICK_WARMUP - 1)), { params: QUICK });
    expect(run.signals).toEqual([]);
  });

  it('never enters when no close was ever higher than the one horizon candles before', async () => {
    // Flat closes: every feature is constant (standardized to 0) and every label is 0, so only the bias
    // learns, and it learns "not higher".
    expect(await runStrategy(mlLogistic, candlesFromCloses(Array<number>(400).fill(100)), { params: QUICK })).toNeverEnter();
    const falling = Array.from({ length: 400 }, (_, i) => 100 * 0.995 ** i);
    expect(await runStrategy(mlLogistic, candlesFromCloses(falling), { params: QUICK })).toNeverEnter();
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const candles = range({ seed: 31, length: 500, volatility: 0.01 });
    const a = await runStrategy(mlLogistic, candles, { params: QUICK });
    const b = await runStrategy(mlLogistic, candles, { params: QUICK });
    const c = await runStrategy(mlLogistic, candles, { params: { ...QUICK, seed: 2 } });
    expect(a.signals.length).toBeGreaterThan(2);
    expect(b.signals).toEqual(a.signals);
    expect(c.signals).not.toEqual(a.signals);
  });

  it('refuses an exit threshold above the entry one and out-of-bounds values, naming the strategy and the parameter', async () => {
    const candles = candlesFromCloses(RISE_THEN_FALL);
    await expect(runStrategy(mlLogistic, candles, { params: { threshold: 0.6, exitThreshold: 0.7 } })).rejects.toThrow(
      'strategy "ml-logistic" refuses these parameters: exitThreshold (0.7) must not be greater than threshold (0.6).',
    );
    await expect(runStrategy(mlLogistic, candles, { params: { threshold: 0.4 } })).rejects.toThrow(
      'strategy "ml-logistic" parameter "threshold" must be between 0.5 and 0.99, got 0.4.',
    );
    await expect(runStrategy(mlLogistic, candles, { params: { horizon: 0 } })).rejects.toThrow(
      'strategy "ml-logistic" parameter "horizon" must be between 1 and 100, got 0.',
    );
    expect(() => resolveParams(mlLogistic, { minTrainSamples: 10 })).toThrow(
      'strategy "ml-logistic" parameter "minTrainSamples" must be between 20 and 100000, got 10.',
    );
    expect(() => resolveParams(mlLogistic, { seed: 1.5 })).toThrow('strategy "ml-logistic" parameter "seed" must be an integer, got 1.5.');
  });

  it('trains walk-forward: no decision depends on a candle after it', () => {
    // Cuts every 10 candles from the end of the warm-up: each replays the model from scratch, with the
    // future left out and with another future, and must decide exactly as before up to the cut.
    const sideways = range({ seed: 4, length: 600, volatility: 0.01 });
    expect(checkNoLookAhead(mlLogistic, sideways, { params: { minTrainSamples: 50, horizon: 3 }, every: 10 })).toHaveNoLookAhead();
    const trending = trend({ seed: 5, length: 500, drift: 0.001, volatility: 0.01 });
    expect(checkNoLookAhead(mlLogistic, trending, { params: QUICK })).toHaveNoLookAhead();
  });

  it('trades on those series (the look-ahead check is not vacuous)', async () => {
    const run = await runStrategy(mlLogistic, range({ seed: 4, length: 600, volatility: 0.01 }), { params: { minTrainSamples: 50, horizon: 3 } });
    expect(run.summary.trades).toBeGreaterThan(3);
  });
});
