import { timeframeMs } from '../market/timeframe';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Candle periods in a year of `timeframe`: crypto trades every day, so 365 days, not 252 trading days. */
export function periodsPerYear(timeframe: string): number {
  return YEAR_MS / timeframeMs(timeframe);
}

/**
 * Simple returns between consecutive equity values, e[i] / e[i-1] - 1. A step from an equity at or below
 * zero is left out: a return on nothing is not a number, and an account there is past caring about ratios.
 */
export function periodReturns(equities: ArrayLike<number>): number[] {
  const returns: number[] = [];
  for (let i = 1; i < equities.length; i++) {
    const previous = equities[i - 1] ?? 0;
    if (previous > 0) returns.push((equities[i] ?? 0) / previous - 1);
  }
  return returns;
}

/** Annualised Sharpe ratio: mean / sample stdev (n - 1) x sqrt(periodsPerYear), risk-free rate 0; 0 when undefined. */
export function sharpeRatio(returns: readonly number[], periodsPerYear: number): number {
  const n = returns.length;
  if (n < 2) return 0;
  const average = mean(returns);
  const variance = returns.reduce((sum, r) => sum + (r - average) ** 2, 0) / (n - 1);
  return ratio(average, Math.sqrt(variance), periodsPerYear);
}

/**
 * Annualised Sortino ratio: mean / downside deviation x sqrt(periodsPerYear), target return 0. The downside
 * deviation is sqrt(sum(min(r, 0)^2) / n) over all n returns, as Sortino & Price, empyrical and quantstats
 * define it; 0 when undefined, which includes a curve that never had a losing period.
 */
export function sortinoRatio(returns: readonly number[], periodsPerYear: number): number {
  const n = returns.length;
  if (n < 2) return 0;
  const downsideDeviation = Math.sqrt(returns.reduce((sum, r) => sum + Math.min(r, 0) ** 2, 0) / n);
  return ratio(mean(returns), downsideDeviation, periodsPerYear);
}

function ratio(average: number, deviation: number, periodsPerYear: number): number {
  return deviation > 0 ? (average / deviation) * Math.sqrt(periodsPerYear) : 0;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
