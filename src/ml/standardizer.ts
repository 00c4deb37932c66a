/**
 * Feature standardization for online learning: each feature is centred on its running mean and divided by
 * its running standard deviation, both updated one sample at a time with Welford's algorithm. Welford, not
 * sums of x and x^2: those subtract two large, nearly equal numbers, and for features like a 1 % return
 * around a mean of 0.01 the variance they give is mostly rounding error.
 *
 * The statistics are those of the samples given to update() so far and nothing else, which is what lets a
 * walk-forward model use them without seeing the future.
 */
export class RunningStandardizer {
  private n = 0;
  private readonly means: Float64Array;
  /** Sum of squared distances from the running mean, per feature (Welford's M2). */
  private readonly m2: Float64Array;

  /**
   * @param size number of features.
   * @param minStd a feature whose standard deviation is at or below this is treated as constant and
   *   standardized to 0: dividing a constant's rounding noise by a near-zero deviation would turn it into
   *   values of any size.
   */
  constructor(
    readonly size: number,
    private readonly minStd = 1e-10,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size ${size} must be a whole number of features, 1 or more`);
    if (!(minStd >= 0)) throw new RangeError(`minStd ${minStd} must be 0 or more`);
    this.means = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }

  /** Samples seen. */
  get count(): number {
    return this.n;
  }

  update(x: readonly number[]): void {
    this.checkSize(x);
    this.n += 1;
    for (let i = 0; i < this.size; i++) {
      const value = x[i]!;
      const delta = value - this.means[i]!;
      this.means[i] = this.means[i]! + delta / this.n;
      this.m2[i] = this.m2[i]! + delta * (value - this.means[i]!);
    }
  }

  mean(feature: number): number {
    return this.means[this.index(feature)]!;
  }

  /** Population variance (divided by n, not n - 1): the spread the samples have, 0 before the first. */
  variance(feature: number): number {
    const i = this.index(feature);
    return this.n === 0 ? 0 : Math.max(0, this.m2[i]! / this.n);
  }

  std(feature: number): number {
    return Math.sqrt(this.variance(feature));
  }

  /** `x` in standard deviations from the mean, feature by feature (a new array); 0 for a constant feature. */
  transform(x: readonly number[]): number[] {
    this.checkSize(x);
    const out = new Array<number>(this.size);
    for (let i = 0; i < this.size; i++) {
      const std = this.std(i);
      out[i] = std > this.minStd ? (x[i]! - this.means[i]!) / std : 0;
    }
    return out;
  }

  private index(feature: number): number {
    if (!Number.isInteger(feature) || feature < 0 || feature >= this.size) throw new RangeError(`feature ${feature} must be from 0 to ${this.size - 1}`);
    return feature;
  }

  private checkSize(x: readonly number[]): void {
    if (x.length !== this.size) throw new RangeError(`expected ${this.size} features, got ${x.length}`);
  }
}
