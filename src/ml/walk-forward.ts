import { OnlineLogisticRegression } from './logistic-regression';
import { RunningStandardizer } from './standardizer';

export interface WalkForwardOptions {
  features: number;
  /** Candles ahead the label looks: a sample is "the close `horizon` candles later is higher than this one". */
  horizon: number;
  /** Labelled samples to train on before any prediction is given. */
  minTrainSamples: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

/** A candle's features (undefined while they are not ready) and close, waiting for its label. */
interface PendingSample {
  features: readonly number[] | undefined;
  close: number;
}

/**
 * Walk-forward training of a classifier over a series, one candle at a time, using only the past. The
 * label of candle t's features is whether close[t + horizon] > close[t], so it becomes known `horizon`
 * candles later: at candle t the model trains on the sample of candle t - horizon (its label settled by
 * this close), then predicts for candle t. No sample is ever trained on before its label could be known,
 * so the prediction at t depends on candles up to t only, exactly as in live trading.
 *
 * The standardizer learns the features' mean and spread from every candle's features as they come (they
 * are known at once; only labels wait), and a sample is standardized with the statistics of the moment it
 * is trained on or predicted for.
 */
export class WalkForwardClassifier {
  readonly horizon: number;
  readonly minTrainSamples: number;
  private readonly model: OnlineLogisticRegression;
  private readonly standardizer: RunningStandardizer;
  /** The last `horizon` candles, oldest first: the samples whose labels are still in the future. */
  private readonly pending: PendingSample[] = [];

  constructor(options: WalkForwardOptions) {
    const { features, horizon, minTrainSamples } = options;
    if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon ${horizon} must be a whole number of candles, 1 or more`);
    if (!Number.isInteger(minTrainSamples) || minTrainSamples < 1) throw new RangeError(`minTrainSamples ${minTrainSamples} must be a whole number, 1 or more`);
    this.horizon = horizon;
    this.minTrainSamples = minTrainSamples;
    this.model = new OnlineLogisticRegression({
      features,
      ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
      ...(options.l2 !== undefined && { l2: options.l2 }),
      ...(options.seed !== undefined && { seed: options.seed }),
    });
    this.standardizer = new RunningStandardizer(features);
  }

  /** Labelled samples trained on so far. */
  get trained(): number {
    return this.model.updates;
  }

  /**
   * Takes candle t: its features (undefined while they are not ready, or not finite) and its close. Trains
   * on the sample of candle t - horizon, then returns the probability that close[t + horizon] > close[t],
   * or undefined until `minTrainSamples` samples have been trained on (or when t has no features).
   */
  step(features: readonly number[] | undefined, close: number): number | undefined {
    const usable = features !== undefined && features.every(Number.isFinite) ? features : undefined;
    if (usable !== undefined) this.standardizer.update(usable);
    this.pending.push({ features: usable, close });
    if (this.pending.length > this.horizon) {
      const sample = this.pending.shift()!;
      if (sample.features !== undefined) this.model.update(this.standardizer.transform(sample.features), close > sample.close);
    }
    if (usable === undefined || this.model.updates < this.minTrainSamples) return undefined;
    return this.model.predict(this.standardizer.transform(usable));
  }
}
