/**
 * Decimal arithmetic for the fake exchange. Binance quotes every amount with at most 8 decimals, so amounts
 * are kept as numbers rounded to 8 places after every operation (no float dust piles up in balances), and
 * grid checks (tick, step) are done exactly on integers of 1e-8 units.
 */

const UNITS = 100_000_000;

/** `x` rounded to 8 decimals: the precision of every Binance amount. */
export const r8 = (x: number): number => Math.round(x * UNITS) / UNITS;

/** Binance writes every decimal with 8 places: "0.01000000". */
export const eight = (value: number | string): string => Number(value).toFixed(8);

/** A decimal string in 1e-8 units; undefined when it is not a plain decimal or has non-zero digits past the 8th. */
export function toUnits(value: string): bigint | undefined {
  const match = /^(\d{1,20})(?:\.(\d{1,20}))?$/.exec(value);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').padEnd(8, '0');
  if (/[^0]/.test(fraction.slice(8))) return undefined;
  return BigInt(match[1]!) * BigInt(UNITS) + BigInt(fraction.slice(0, 8));
}

/** Whether `value` is a whole multiple of `step` (both decimal strings); a zero step allows anything. */
export function onGrid(value: string, step: string): boolean {
  const v = toUnits(value);
  const s = toUnits(Number(step).toFixed(8));
  if (v === undefined || s === undefined) return false;
  return s === 0n || v % s === 0n;
}

function decimalsOf(step: string): number {
  const trimmed = Number(step).toFixed(8).replace(/0+$/, '');
  const dot = trimmed.indexOf('.');
  return dot < 0 ? 0 : trimmed.length - dot - 1;
}

/** `x` rounded down to a multiple of `step`: how much of a quantity can be traded on the lot grid. */
export function floorToStep(x: number, step: string): number {
  const s = Number(step);
  // The epsilon keeps 0.3 / 0.1 = 2.9999999999999996 from flooring to 2.
  return Number((Math.floor(x / s + 1e-9) * s).toFixed(decimalsOf(step)));
}
