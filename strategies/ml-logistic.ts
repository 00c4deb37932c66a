import { CandleFeatures, FEATURE_NAMES } from '../src/ml/candle-features';
import { WalkForwardClassifier } from '../src/ml/walk-forward';
import { defineStrategy, type Intent } from '../src/strategy/types';

// Returned on most candles: one shared object rather than a new one each time.
const NONE: Intent = { action: 'none' };

/** Closes the features need before the first one exists (MACD 12/26/9's signal line is the last). */
const FEATURE_WARMUP = new CandleFeatures().warmup;

/**
 * An online logistic-regression classifier (src/ml/) that predicts whether the close `horizon` candles
 * ahead will be higher than this one, from scale-free indicator features (returns over 1, 5 and 10
 * candles, RSI, MACD histogram / close, distance to EMA20, volatility), standardized by their running mean
 * and deviation. Long when the probability is above `threshold`, out when it falls below `exitThreshold`.
 *
 * It is trained walk-forward, as it would be live: at candle t the label of candle t - horizon (is close[t]
 * above close[t - horizon]?) has just become known, so the model takes one SGD step on that sample and then
 * predicts for candle t. No sample is trained on before its label is known, and nothing is fitted on the
 * whole series beforehand: the model that decides at candle t has seen candles up to t only. A new
 * instance (a restart, a parameter change) starts from scratch and warms up again.
 *
 * Deterministic: the only randomness, the initial weights, comes from `seed`.
 */
export default defineStrategy({
  name: 'ml-logistic',
  description: 'Long when an online logistic regression, trained walk-forward on past candles, gives the close horizon candles ahead a high chance of being higher.',
  params: {
    horizon: { type: 'number', default: 5, min: 1, max: 100, integer: true, description: 'Candles ahead the model predicts the close for.' },
    threshold: { type: 'number', default: 0.55, min: 0.5, max: 0.99, description: 'Probability of a higher close above which to enter.' },
    exitThreshold: { type: 'number', default: 0.45, min: 0.01, max: 0.99, description: 'Probability below which to exit; at most threshold.' },
    minTrainSamples: { type: 'number', default: 200, min: 20, max: 100_000, integer: true, description: 'Labelled samples to train on before trading.' },
    learningRate: { type: 'number', default: 0.02, min: 0.0001, max: 1, description: 'SGD step size.' },
    l2: { type: 'number', default: 0.001, min: 0, max: 0.1, description: 'L2 penalty on the weights, per step.' },
    seed: { type: 'number', default: 1, min: 0, max: 4_294_967_295, integer: true, description: 'Seed of the initial weights.' },
  },
  // Above threshold it enters and below exitThreshold it exits: with exitThreshold above threshold some
  // probabilities would ask for both, and every entry would be sold on the next candle.
  validate: ({ threshold, exitThreshold }) =>
    exitThreshold <= threshold ? undefined : `exitThreshold (${exitThreshold}) must not be greater than threshold (${threshold})`,
  // Features from candle FEATURE_WARMUP on; the first of them is labelled `horizon` candles later, and
  // predictions start once `minTrainSamples` labelled samples have been trained on.
  warmup: ({ horizon, minTrainSamples }) => FEATURE_WARMUP + horizon + minTrainSamples - 1,
  create: ({ horizon, threshold, exitThreshold, minTrainSamples, learningRate, l2, seed }) => {
    const features = new CandleFeatures();
    const classifier = new WalkForwardClassifier({ features: FEATURE_NAMES.length, horizon, minTrainSamples, learningRate, l2, seed });
    return {
      onCandle: (candle, context) => {
        const p = classifier.step(features.add(candle.close), candle.close);
        if (p === undefined) return NONE;
        const odds = `P(close in ${horizon} higher) ${p.toFixed(3)}`;
        if (context.position === undefined) {
          if (p > threshold) return { action: 'enter', reason: `${odds} > ${threshold} (${classifier.trained} samples)`, strength: p };
        } else if (p < exitThreshold) {
          return { action: 'exit', reason: `${odds} < ${exitThreshold} (${classifier.trained} samples)`, strength: 1 - p };
        }
        return NONE;
      },
    };
  },
});
