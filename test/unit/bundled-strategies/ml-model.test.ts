/** The model code of ml-logistic (src/ml/), on its own. */
import { CandleFeatures, FEATURE_NAMES } from '../../../src/ml/candle-features';
import { OnlineLogisticRegression, sigmoid } from '../../../src/ml/logistic-regression';
import { RunningStandardizer } from '../../../src/ml/standardizer';
import { WalkForwardClassifier } from '../../../src/ml/walk-forward';
import { Rng } from '../../../src/market/rng';

/** Points in the plane labelled by the side of the line x + 2y = 0.5 they lie on, none closer than `margin`. */
function separable(seed: number, count: number, margin = 0.1): Array<{ x: number[]; y: 0 | 1 }> {
  const rng = new Rng(seed);
  const samples: Array<{ x: number[]; y: 0 | 1 }> = [];
  while (samples.length < count) {
    const x = [rng.between(-3, 3), rng.between(-3, 3)];
    const side = (x[0]! + 2 * x[1]! - 0.5) / Math.sqrt(5);
    if (Math.abs(side) >= margin) samples.push({ x, y: side > 0 ? 1 : 0 });
  }
  return samples;
}

function train(model: OnlineLogisticRegression, samples: ReadonlyArray<{ x: number[]; y: 0 | 1 }>, epochs: number): void {
  for (let e = 0; e < epochs; e++) for (const s of samples) model.update(s.x, s.y);
}

function accuracy(model: OnlineLogisticRegression, samples: ReadonlyArray<{ x: number[]; y: 0 | 1 }>): number {
  return samples.filter((s) => (model.predict(s.x) > 0.5 ? 1 : 0) === s.y).length / samples.length;
}

describe('RunningStandardizer', () => {
  it('keeps the mean and population variance of what it has seen, as a two-pass computation gives them', () => {
    const rng = new Rng(3);
    const rows = Array.from({ length: 500 }, () => [rng.normal() * 2 + 5, rng.between(-1, 1), 1e9 + rng.normal() * 1e-3]);
    const s = new RunningStandardizer(3);
    for (const row of rows) s.update(row);
    expect(s.count).toBe(500);
    for (let f = 0; f < 3; f++) {
      const values = rows.map((r) => r[f]!);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
      expect(s.mean(f)).toBeCloseTo(mean, f === 2 ? 3 : 10);
      // Welford stays accurate around a large offset (1e9 with a spread of 1e-3, where a double only has
      // about 4 digits of the spread left); the mean of squares minus the squared mean would give noise.
      expect(s.variance(f) / variance).toBeCloseTo(1, f === 2 ? 4 : 10);
    }
  });

  it('standardizes to mean 0 and deviation 1, and a constant feature to 0', () => {
    const rng = new Rng(4);
    const rows = Array.from({ length: 300 }, () => [rng.normal() * 0.01 + 0.002, 42]);
    const s = new RunningStandardizer(2);
    for (const row of rows) s.update(row);
    const z = rows.map((r) => s.transform(r));
    const mean = z.reduce((a, r) => a + r[0]!, 0) / z.length;
    const variance = z.reduce((a, r) => a + (r[0]! - mean) ** 2, 0) / z.length;
    expect(mean).toBeCloseTo(0, 10);
    expect(variance).toBeCloseTo(1, 10);
    expect(z.every((r) => r[1] === 0)).toBe(true);
    expect(s.transform([0.012, 1000])).toEqual([(0.012 - s.mean(0)) / s.std(0), 0]);
  });

  it('gives zeros before any sample and refuses rows of the wrong size', () => {
    const s = new RunningStandardizer(2);
    expect(s.transform([3, 4])).toEqual([0, 0]);
    expect(s.variance(0)).toBe(0);
    expect(() => s.update([1])).toThrow('expected 2 features, got 1');
  });
});

describe('OnlineLogisticRegression', () => {
  it('learns a linearly separable problem', () => {
    const model = new OnlineLogisticRegression({ features: 2, learningRate: 0.1 });
    train(model, separable(1, 400), 20);
    expect(accuracy(model, separable(2, 1000))).toBeGreaterThan(0.97);
    // The weights point across the separating line x + 2y = 0.5.
    const [wx, wy] = model.weights;
    expect(wy! / wx!).toBeCloseTo(2, 0);
    expect(model.bias).toBeLessThan(0);
    expect(model.updates).toBe(8000);
  });

  it('is deterministic for a seed, and the seed only sets the starting weights', () => {
    const samples = separable(5, 200);
    const a = new OnlineLogisticRegression({ features: 2, seed: 7 });
    const b = new OnlineLogisticRegression({ features: 2, seed: 7 });
    const c = new OnlineLogisticRegression({ features: 2, seed: 8 });
    expect(a.weights).toEqual(b.weights);
    expect(a.weights).not.toEqual(c.weights);
    train(a, samples, 3);
    train(b, samples, 3);
    train(c, samples, 3);
    expect(a.weights).toEqual(b.weights);
    expect(a.bias).toBe(b.bias);
    expect(a.predict([0.3, -0.2])).toBe(b.predict([0.3, -0.2]));
    expect(a.weights).not.toEqual(c.weights);
    expect(new OnlineLogisticRegression({ features: 3, initScale: 0 }).weights).toEqual([0, 0, 0]);
  });

  it('takes plain SGD steps on the log loss, with L2 on the weights but not the bias', () => {
    const model = new OnlineLogisticRegression({ features: 2, learningRate: 0.5, l2: 0.1, initScale: 0 });
    // From zero weights p = 0.5: w <- 0 - 0.5 * ((0.5 - 1) * x + 0.1 * 0), b <- 0 - 0.5 * (0.5 - 1).
    expect(model.update([2, -1], 1)).toBe(0.5);
    expect(model.weights).toEqual([0.5, -0.25]);
    expect(model.bias).toBe(0.25);
    const p = model.predict([0, 0]);
    model.update([0, 0], 0);
    // A zero input leaves only the penalty: each weight shrinks by 0.5 * 0.1 of itself.
    expect(model.weights).toEqual([0.5 * 0.95, -0.25 * 0.95]);
    expect(model.bias).toBeCloseTo(0.25 - 0.5 * p, 15);
  });

  it('shrinks its weights under a larger L2 penalty', () => {
    const samples = separable(9, 300);
    const loose = new OnlineLogisticRegression({ features: 2, l2: 0 });
    const tight = new OnlineLogisticRegression({ features: 2, l2: 0.05 });
    train(loose, samples, 10);
    train(tight, samples, 10);
    const norm = (w: number[]): number => Math.hypot(...w);
    expect(norm(tight.weights)).toBeLessThan(norm(loose.weights) / 2);
  });

  it('has a sigmoid that neither overflows nor loses its symmetry', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(3) + sigmoid(-3)).toBeCloseTo(1, 15);
  });
});

describe('WalkForwardClassifier', () => {
  it('trains on a sample only once its label is known, horizon candles later', () => {
    const wf = new WalkForwardClassifier({ features: 1, horizon: 3, minTrainSamples: 2 });
    const trained: number[] = [];
    const predictions: Array<number | undefined> = [];
    for (let t = 0; t < 8; t++) {
      // Candle 1 has no features yet: it never becomes a sample.
      predictions.push(wf.step(t === 1 ? undefined : [t], 100 + t));
      trained.push(wf.trained);
    }
    // Candle t's sample is labelled at candle t + 3: candles 0, 2, 3, 4 at candles 3, 5, 6, 7.
    expect(trained).toEqual([0, 0, 0, 1, 1, 2, 3, 4]);
    expect(predictions.map((p) => p !== undefined)).toEqual([false, false, false, false, false, true, true, true]);
  });

  it('labels a sample by the close horizon candles later, not the next one', () => {
    // Every close is below the one two candles before and above the one just before: with horizon 2 every
    // label is 0, with horizon 1 they alternate. Constant features leave only the bias to learn.
    const closes = Array.from({ length: 200 }, (_, t) => 100 - t + (t % 2) * 1.5);
    const run = (horizon: number): number => {
      const wf = new WalkForwardClassifier({ features: 1, horizon, minTrainSamples: 50, learningRate: 0.05 });
      let last: number | undefined;
      for (const close of closes) last = wf.step([1], close);
      return last!;
    };
    expect(run(2)).toBeLessThan(0.15);
    expect(run(1)).toBeGreaterThan(0.4);
    expect(run(1)).toBeLessThan(0.6);
  });

  it('skips features that are not finite rather than learn from them', () => {
    const wf = new WalkForwardClassifier({ features: 1, horizon: 1, minTrainSamples: 1 });
    wf.step([Number.NaN], 1);
    wf.step([1], 2);
    expect(wf.trained).toBe(0);
    expect(wf.step([1], 3)).toBeGreaterThan(0.5);
    expect(wf.trained).toBe(1);
  });
});

describe('CandleFeatures', () => {
  it('gives its features from the candle its slowest indicator needs, and none before', () => {
    const features = new CandleFeatures();
    expect(features.warmup).toBe(34); // MACD 12/26/9: the signal line's 9th value is on the 34th close
    const rng = new Rng(12);
    let close = 100;
    for (let count = 1; count <= 60; count++) {
      close *= Math.exp(0.01 * rng.normal());
      const row = features.add(close);
      if (count < 34) expect(row).toBeUndefined();
      else expect(row).toHaveLength(FEATURE_NAMES.length);
    }
  });

  it('is scale-free: the same moves at ten times the price give the same features', () => {
    const rng = new Rng(13);
    const closes: number[] = [100];
    for (let i = 1; i < 80; i++) closes.push(closes[i - 1]! * Math.exp(0.01 * rng.normal()));
    const a = new CandleFeatures();
    const b = new CandleFeatures();
    let rowA: number[] | undefined;
    let rowB: number[] | undefined;
    for (const c of closes) {
      rowA = a.add(c);
      rowB = b.add(c * 10);
    }
    rowA!.forEach((value, i) => expect(rowB![i]).toBeCloseTo(value, 12));
    // return1 and return10 as defined.
    const n = closes.length;
    expect(rowA![0]).toBeCloseTo(closes[n - 1]! / closes[n - 2]! - 1, 15);
    expect(rowA![2]).toBeCloseTo(closes[n - 1]! / closes[n - 11]! - 1, 15);
  });

  it('gives a steady trend constant returns and no volatility', () => {
    const features = new CandleFeatures();
    let row: number[] | undefined;
    for (let i = 0; i < 50; i++) row = features.add(100 * 1.01 ** i);
    expect(row![0]).toBeCloseTo(0.01, 12);
    expect(row![1]).toBeCloseTo(1.01 ** 5 - 1, 12);
    expect(row![3]).toBe(0.5); // RSI 100: no losses at all
    expect(row![6]).toBeLessThan(1e-15);
  });
});
