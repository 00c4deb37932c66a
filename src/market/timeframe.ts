/** ccxt-style candle timeframes and their lengths. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const LENGTHS_MS = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '8h': 8 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': 7 * DAY,
} as const;

export type Timeframe = keyof typeof LENGTHS_MS;

/** Every supported timeframe, shortest first. */
export const TIMEFRAMES: readonly Timeframe[] = Object.keys(LENGTHS_MS) as Timeframe[];

export function isTimeframe(tf: string): tf is Timeframe {
  return Object.hasOwn(LENGTHS_MS, tf);
}

/** Length of one candle of `tf` in ms; throws for a timeframe ccxt-style exchanges do not offer. */
export function timeframeMs(tf: string): number {
  if (!isTimeframe(tf)) throw new Error(`unknown timeframe "${tf}"; use one of ${TIMEFRAMES.join(', ')}`);
  return LENGTHS_MS[tf];
}

/** The Unix epoch fell on a Thursday; weekly candles on exchanges open on Monday 00:00 UTC. */
const FIRST_MONDAY_MS = 4 * DAY;

/** Open time of the `tf` candle that contains `time` (weekly candles open on Mondays, like the exchanges'). */
export function alignToTimeframe(time: number, tf: string): number {
  const length = timeframeMs(tf);
  const offset = tf === '1w' ? FIRST_MONDAY_MS : 0;
  return Math.floor((time - offset) / length) * length + offset;
}
