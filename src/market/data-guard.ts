import type { Candle, Tick } from './types';

/** Why a tick or candle was refused. */
export type DataProblem =
  | 'not-a-number'
  | 'non-positive-price'
  | 'high-below-low'
  /** open or close outside [low, high] */
  | 'ohlc-outside-range'
  /** not strictly after the last accepted one of the same symbol (ticks) or symbol and timeframe (candles) */
  | 'time-not-increasing';

export const DATA_PROBLEMS: readonly DataProblem[] = [
  'not-a-number',
  'non-positive-price',
  'high-below-low',
  'ohlc-outside-range',
  'time-not-increasing',
];

/**
 * Checks ticks and candles from any source before the bot acts on them: one NaN or out-of-order candle
 * would otherwise poison every indicator fed after it. Counts what it refuses so the caller can log a kind
 * once and report totals at the end.
 */
export class MarketDataGuard {
  private readonly problemCounts: Record<DataProblem, number> = {
    'not-a-number': 0,
    'non-positive-price': 0,
    'high-below-low': 0,
    'ohlc-outside-range': 0,
    'time-not-increasing': 0,
  };
  private readonly lastTickTime = new Map<string, number>();
  /** symbol -> timeframe -> time; nested rather than a joined key so a check allocates no string. */
  private readonly lastCandleTime = new Map<string, Map<string, number>>();

  /** Undefined when the tick is fine (and then it becomes the symbol's last accepted tick). */
  checkTick(tick: Tick): DataProblem | undefined {
    const problem = tickProblem(tick) ?? timeProblem(this.lastTickTime.get(tick.symbol), tick.time);
    if (problem) return this.count(problem);
    this.lastTickTime.set(tick.symbol, tick.time);
    return undefined;
  }

  /**
   * Undefined when the candle is fine (and then it becomes the last accepted one of its symbol and
   * timeframe), for a caller that keeps no candles itself; the DataAgent's history does, and asks
   * checkCandleAfter().
   */
  checkCandle(candle: Candle): DataProblem | undefined {
    let times = this.lastCandleTime.get(candle.symbol);
    const problem = this.checkCandleAfter(candle, times?.get(candle.timeframe) ?? Number.NaN);
    if (problem) return problem;
    if (!times) {
      times = new Map();
      this.lastCandleTime.set(candle.symbol, times);
    }
    times.set(candle.timeframe, candle.time);
    return undefined;
  }

  /**
   * The same check for a caller that keeps the last accepted candle itself (the DataAgent's history does):
   * `lastAccepted` is that candle's time (NaN when there is none yet), and the guard remembers nothing but
   * the count.
   */
  checkCandleAfter(candle: Candle, lastAccepted: number): DataProblem | undefined {
    const problem = candleProblem(candle) ?? (candle.time <= lastAccepted ? 'time-not-increasing' : undefined);
    return problem === undefined ? undefined : this.count(problem);
  }

  /** Refusals so far, per kind (a copy). */
  counts(): Record<DataProblem, number> {
    return { ...this.problemCounts };
  }

  /** True when exactly one item has been refused for `problem`: the moment to log it, once. */
  firstOfKind(problem: DataProblem): boolean {
    return this.problemCounts[problem] === 1;
  }

  private count(problem: DataProblem): DataProblem {
    this.problemCounts[problem] += 1;
    return problem;
  }
}

/** Negative volume cannot come from a real feed any more than NaN can, so it is refused as garbage too. */
function badVolume(volume: number): boolean {
  return !Number.isFinite(volume) || volume < 0;
}

function tickProblem(tick: Tick): DataProblem | undefined {
  if (!Number.isFinite(tick.time) || !Number.isFinite(tick.price) || badVolume(tick.volume)) return 'not-a-number';
  if (tick.price <= 0) return 'non-positive-price';
  return undefined;
}

function candleProblem(c: Candle): DataProblem | undefined {
  const { open, high, low, close } = c;
  // Every candle of a backtest passes here: the usual good one is accepted by one chain of comparisons
  // (each false for NaN), and only a refused one is looked at again to name its problem.
  if (low > 0 && high < Infinity && low <= open && open <= high && low <= close && close <= high && c.volume >= 0 && c.volume < Infinity && Number.isFinite(c.time)) {
    return undefined;
  }
  const finite = Number.isFinite(c.time) && Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close);
  if (!finite || badVolume(c.volume)) return 'not-a-number';
  if (open <= 0 || high <= 0 || low <= 0 || close <= 0) return 'non-positive-price';
  if (high < low) return 'high-below-low';
  if (open < low || open > high || close < low || close > high) return 'ohlc-outside-range';
  return undefined;
}

function timeProblem(lastAccepted: number | undefined, time: number): DataProblem | undefined {
  return lastAccepted !== undefined && time <= lastAccepted ? 'time-not-increasing' : undefined;
}
