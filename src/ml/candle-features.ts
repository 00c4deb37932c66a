import { EMA, MACD, RSI } from 'trading-signals';

export interface CandleFeatureOptions {
  rsiPeriod?: number;
  macdFast?: number;
  macdSlow?: number;
  macdSignal?: number;
  emaPeriod?: number;
  /** Log returns the volatility feature is the standard deviation of. */
  volatilityPeriod?: number;
}

/** The features, in the order features() returns them. */
export const FEATURE_NAMES = ['return1', 'return5', 'return10', 'rsi', 'macdHistogram', 'emaDistance', 'volatility'] as const;

const RETURN_LAGS = [1, 5, 10] as const;

/**
 * Indicator features of a series of closes, for a classifier: each one scale-free (a ratio or a return,
 * never a price), so a model trained at one price level still applies at another:
 *   return1, return5, return10: close / close n candles ago - 1;
 *   rsi: RSI / 100 - 0.5, in [-0.5, 0.5];
 *   macdHistogram: MACD histogram / close;
 *   emaDistance: close / EMA - 1;
 *   volatility: standard deviation of the last `volatilityPeriod` one-candle log returns.
 * Fed one close at a time, it keeps only the closes it needs and uses nothing after the close it is given.
 */
export class CandleFeatures {
  /** Closes until add() first returns features. */
  readonly warmup: number;
  private readonly rsi: RSI;
  private readonly macd: MACD;
  private readonly ema: EMA;
  private readonly volatilityPeriod: number;
  /** The last `keep` closes, oldest first. */
  private readonly closes: number[] = [];
  private readonly keep: number;

  constructor(options: CandleFeatureOptions = {}) {
    const { rsiPeriod = 14, macdFast = 12, macdSlow = 26, macdSignal = 9, emaPeriod = 20, volatilityPeriod = 20 } = options;
    this.rsi = new RSI(rsiPeriod);
    this.macd = new MACD(new EMA(macdFast), new EMA(macdSlow), new EMA(macdSignal));
    this.ema = new EMA(emaPeriod);
    this.volatilityPeriod = volatilityPeriod;
    const longestLag = RETURN_LAGS[RETURN_LAGS.length - 1]!;
    this.keep = Math.max(longestLag, volatilityPeriod) + 1;
    // Each feature's first close: RSI after period + 1, MACD's signal line after slow + signal - 1.
    this.warmup = Math.max(this.keep, rsiPeriod + 1, macdSlow + macdSignal - 1, emaPeriod);
  }

  /** Takes the next close; returns the features at it, or undefined while some are not ready yet. */
  add(close: number): number[] | undefined {
    this.closes.push(close);
    if (this.closes.length > this.keep) this.closes.shift();
    const rsi = this.rsi.add(close);
    const macd = this.macd.add(close);
    this.ema.add(close);
    if (this.closes.length < this.keep || rsi === null || macd === null || !this.macd.signal.isStable || !this.ema.isStable) return undefined;
    const ema = this.ema.getResultOrThrow();

    const last = this.closes.length - 1;
    const returns = RETURN_LAGS.map((lag) => close / this.closes[last - lag]! - 1);
    return [...returns, rsi / 100 - 0.5, macd.histogram / close, close / ema - 1, this.volatility()];
  }

  private volatility(): number {
    const n = this.volatilityPeriod;
    const last = this.closes.length - 1;
    const returns: number[] = [];
    for (let i = last - n + 1; i <= last; i++) returns.push(Math.log(this.closes[i]! / this.closes[i - 1]!));
    // Two passes, not sum of squares minus the squared mean: in a steady trend the returns are all alike and
    // that difference would be rounding noise, which standardization would then blow up.
    const mean = returns.reduce((a, b) => a + b, 0) / n;
    return Math.sqrt(returns.reduce((a, r) => a + (r - mean) * (r - mean), 0) / n);
  }
}
