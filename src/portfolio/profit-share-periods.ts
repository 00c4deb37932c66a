/**
 * Where profit-sharing periods end, by the UTC calendar of market time: a month ends at 00:00 UTC on the
 * 1st of the next month, a quarter at 00:00 UTC on 1 January, April, July or October. A "run" period has no
 * calendar end (+Infinity): it ends with the run. Computed once per period end, never per candle.
 */
import type { ProfitSharePeriod } from './profit-share';

const MONTHS: Readonly<Record<ProfitSharePeriod, number>> = { month: 1, quarter: 3, run: 0 };

/** The last period boundary at or before `time` (ms); -Infinity for "run". */
export function boundaryAtOrBefore(period: ProfitSharePeriod, time: number): number {
  const months = MONTHS[period];
  if (months === 0) return Number.NEGATIVE_INFINITY;
  const date = new Date(time);
  const month = date.getUTCMonth() - (date.getUTCMonth() % months);
  return Date.UTC(date.getUTCFullYear(), month, 1);
}

/** The first period boundary strictly after `time` (ms); +Infinity for "run". */
export function boundaryAfter(period: ProfitSharePeriod, time: number): number {
  const months = MONTHS[period];
  if (months === 0) return Number.POSITIVE_INFINITY;
  const start = new Date(boundaryAtOrBefore(period, time));
  // Date.UTC carries a month past December into the next year.
  return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1);
}
