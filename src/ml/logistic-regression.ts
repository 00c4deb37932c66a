import { Rng } from '../market/rng';

export interface LogisticRegressionOptions {
  /** Number of input features. */
  features: number;
  /** SGD step size; default 0.05. */
  learningRate?: number;
  /** L2 penalty on the weights (not the bias), per step; default 0. */
  l2?: number;
  /** Seed of the initial weights: same seed, same model after the same samples. Default 1. */
  seed?: number;
  /** Standard deviation of the initial weights; default 0.01 (0 starts from all zeros). */
  initScale?: number;
}

/**
 * Binary logistic regression trained online, one sample per step, by stochastic gradient descent on the
 * log loss with an L2 penalty: p = sigmoid(w . x + b), then w <- w - rate * ((p - y) x + l2 w) and
 * b <- b - rate * (p - y). The bias is not penalized: it carries the base rate of the label, which the
 * penalty would pull toward 50 %.
 *
 * Deterministic: the initial weights come from a seeded generator, and nothing else is random, so the same
 * seed and the same samples in the same order give the same model bit for bit.
 */
export class OnlineLogisticRegression {
  readonly features: number;
  readonly learningRate: number;
  readonly l2: number;
  private readonly w: Float64Array;
  private b = 0;
  private steps = 0;

  constructor(options: LogisticRegressionOptions) {
    const { features, learningRate = 0.05, l2 = 0, seed = 1, initScale = 0.01 } = options;
    if (!Number.isInteger(features) || features < 1) throw new RangeError(`features ${features} must be a whole number, 1 or more`);
    if (!(learningRate > 0 && learningRate < Infinity)) throw new RangeError(`learningRate ${learningRate} must be a positive number`);
    if (!(l2 >= 0 && l2 < Infinity)) throw new RangeError(`l2 ${l2} must be a finite number, 0 or more`);
    if (!(initScale >= 0 && initScale < Infinity)) throw new RangeError(`initScale ${initScale} must be a finite number, 0 or more`);
    this.features = features;
    this.learningRate = learningRate;
    this.l2 = l2;
    this.w = new Float64Array(features);
    if (initScale > 0) {
      const rng = new Rng(seed);
      for (let i = 0; i < features; i++) this.w[i] = initScale * rng.normal();
    }
  }

  /** Copies of the weights, for inspection. */
  get weights(): number[] {
    return Array.from(this.w);
  }

  get bias(): number {
    return this.b;
  }

  /** Samples trained on. */
  get updates(): number {
    return this.steps;
  }

  /** Probability that the label of `x` is 1. */
  predict(x: readonly number[]): number {
    return sigmoid(this.score(x));
  }

  /** One SGD step on a labelled sample; returns the probability the model gave it before the step. */
  update(x: readonly number[], label: 0 | 1 | boolean): number {
    const y = label === true || label === 1 ? 1 : 0;
    const p = this.predict(x);
    const error = p - y;
    const rate = this.learningRate;
    for (let i = 0; i < this.features; i++) {
      this.w[i] = this.w[i]! - rate * (error * x[i]! + this.l2 * this.w[i]!);
    }
    this.b -= rate * error;
    this.steps += 1;
    return p;
  }

  private score(x: readonly number[]): number {
    if (x.length !== this.features) throw new RangeError(`expected ${this.features} features, got ${x.length}`);
    let z = this.b;
    for (let i = 0; i < this.features; i++) z += this.w[i]! * x[i]!;
    return z;
  }
}

/** 1 / (1 + e^-z), written so that neither branch overflows for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
