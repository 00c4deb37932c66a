import type { Rng } from './rng';

/** The moods a simulated symbol switches between, so strategies meet trends, ranges and turbulence. */
export type Regime = 'trending-up' | 'trending-down' | 'ranging' | 'volatile';

export const REGIMES: readonly Regime[] = ['trending-up', 'trending-down', 'ranging', 'volatile'];

export interface RegimeTraits {
  /** How often the regime is picked, relative to the others. */
  weight: number;
  /** Mean length in candles; actual lengths are exponentially distributed around it. */
  meanCandles: number;
  /** Volatility as a multiple of the timeframe's calm volatility. */
  volatility: number;
  /** Trend per candle, as a multiple of the calm volatility: [smallest, largest] magnitude. */
  trend: readonly [number, number];
  /** Pull per candle back to the price where the regime began (0 = none). */
  meanReversion: number;
  /** Traded volume as a multiple of the usual. */
  volume: number;
}

// Trend of ~0.12 sigma per candle: over a regime of 200 candles the drift (~24 sigma) clearly beats the
// noise (~14 sigma), so MACD sees trends, while RSI still swings inside them. Ranging pulls back at 5 % per
// candle, which keeps the price within a few sigma of its anchor and makes RSI reach 30 and 70 often.
export const REGIME_TRAITS: Readonly<Record<Regime, RegimeTraits>> = {
  'trending-up': { weight: 0.25, meanCandles: 250, volatility: 1, trend: [0.06, 0.18], meanReversion: 0, volume: 1.1 },
  'trending-down': { weight: 0.25, meanCandles: 200, volatility: 1.15, trend: [0.06, 0.18], meanReversion: 0, volume: 1.2 },
  ranging: { weight: 0.35, meanCandles: 300, volatility: 0.7, trend: [0, 0], meanReversion: 0.05, volume: 0.8 },
  volatile: { weight: 0.15, meanCandles: 80, volatility: 2.5, trend: [0, 0], meanReversion: 0, volume: 2 },
};

/** Even a short regime lasts long enough for indicators to notice it. */
const MIN_REGIME_CANDLES = 20;

/**
 * How strongly the choice of trend direction leans back toward the start price, per unit of log distance
 * from it: keeps prices within a sane band over millions of candles without a visible pull on any one trend.
 */
const DIRECTION_LEAN = 0.8;

/**
 * The regime that follows `current` (never the same one again). `logDistance` is log(price / start price);
 * the further the price has wandered, the likelier a trend back toward the start.
 */
export function pickNextRegime(rng: Rng, current: Regime | undefined, logDistance: number): Regime {
  const lean = DIRECTION_LEAN * Math.tanh(logDistance);
  let total = 0;
  for (const regime of REGIMES) if (regime !== current) total += leanedWeight(regime, lean);
  let pick = rng.next() * total;
  // Floating-point rounding can leave `pick` a hair above 0 after the last candidate, which then wins.
  let candidate: Regime = 'ranging';
  for (const regime of REGIMES) {
    if (regime === current) continue;
    candidate = regime;
    pick -= leanedWeight(regime, lean);
    if (pick < 0) return regime;
  }
  return candidate;
}

function leanedWeight(regime: Regime, lean: number): number {
  const { weight } = REGIME_TRAITS[regime];
  if (regime === 'trending-up') return weight * (1 - lean);
  if (regime === 'trending-down') return weight * (1 + lean);
  return weight;
}

/** Length in candles of a regime just entered. */
export function drawRegimeLength(rng: Rng, regime: Regime): number {
  const exponential = -Math.log(1 - rng.next()) * REGIME_TRAITS[regime].meanCandles;
  return Math.max(MIN_REGIME_CANDLES, Math.round(exponential));
}
