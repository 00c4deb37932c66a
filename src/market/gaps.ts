/** A stretch of missing candles in a series; reported to the user, never an error in itself. */
export interface Gap {
  /** Open time of the last candle before the gap. */
  from: number;
  /** Open time of the first candle after the gap. */
  to: number;
  /** Candle periods missing between the two. */
  missing: number;
}

/**
 * Every place where consecutive candles (ascending by time) are more than one period apart. A step that is
 * not a whole number of periods (only possible in unvalidated data) counts its partial period as missing, so
 * every gap misses at least one candle.
 */
export function findGaps(candles: readonly { readonly time: number }[], timeframeMs: number): Gap[] {
  return findTimeGaps(candles.map((c) => c.time), timeframeMs);
}

/** findGaps for the times alone, ascending. */
export function findTimeGaps(times: ArrayLike<number>, timeframeMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const from = times[i - 1]!;
    const to = times[i]!;
    if (to - from > timeframeMs) gaps.push({ from, to, missing: Math.ceil((to - from) / timeframeMs) - 1 });
  }
  return gaps;
}
