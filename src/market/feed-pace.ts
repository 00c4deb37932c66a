import { timeframeMs } from './timeframe';

/** Below this a timer per candle period costs more than the work it paces; periods are batched instead. */
const MIN_TIMER_MS = 10;

export interface FeedPace {
  /** Timer interval on the agents' clock. */
  intervalMs: number;
  /** Candle periods pulled from the source at each tick of that timer. */
  periodsPerTick: number;
}

/** Turns `market.speed` (candles per second, or realtime) into a timer interval and a batch size. */
export function feedPace(speed: number | 'realtime', timeframe: string): FeedPace {
  if (speed === 'realtime') return { intervalMs: timeframeMs(timeframe), periodsPerTick: 1 };
  const periodMs = 1000 / speed;
  if (periodMs >= MIN_TIMER_MS) return { intervalMs: periodMs, periodsPerTick: 1 };
  const periodsPerTick = Math.round(MIN_TIMER_MS / periodMs);
  return { intervalMs: periodsPerTick * periodMs, periodsPerTick };
}
