/**
 * Decimal numbers in text to doubles without making a string of each, for the parsers that read a million
 * candles: the same double Number() gives, always. Digits are added up as they are read; below 2^53 that
 * sum is exact and one division by an exact power of ten rounds it correctly. Longer numbers (the 17 digits
 * of a double printed in full) get a candidate checked with exact arithmetic, and Number() when the check
 * cannot decide.
 */

/** Below 2^53 every integer is a double, so digits read one by one add up exactly. */
export const EXACT_BELOW = 2 ** 53;
/** 10^k for k = 0..22, all exact doubles. */
export const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Veltkamp's splitter: a double splits into two halves of 26 bits whose products are exact. */
const SPLITTER = 2 ** 27 + 1;
/** a * b - fl(a * b), exactly (Dekker's two-product, for JavaScript has no fused multiply-add). */
function productError(a: number, b: number, product: number): number {
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LITTLE_ENDIAN = ((): boolean => {
  bits[0] = 1;
  return words[1] === 0x3ff00000;
})();

/** The digits text[from, to) appended to `value`. */
function appendDigits(text: DecimalSource, from: number, to: number, value: number): number {
  if (typeof text === 'string') {
    for (let i = from; i < to; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  } else {
    for (let i = from; i < to; i++) value = value * 10 + (text[i]! - 48);
  }
  return value;
}

/** Text, or the bytes of ASCII text (a candle file read as bytes). */
export type DecimalSource = string | Uint8Array;

/** text[start, end) as a string, for Number(). */
function sliceOf(text: DecimalSource, start: number, end: number): string {
  return typeof text === 'string' ? text.slice(start, end) : String.fromCharCode(...text.subarray(start, end));
}

/**
 * The value of the decimal `[+-]digits[.digits]` in text[start, end) (already checked to be one), correctly
 * rounded. `digits` is how many digits it has and `decimals` how many of them follow the point.
 */
export function longDecimal(text: DecimalSource, start: number, end: number, digits: number, decimals: number): number {
  if (digits > 19 || digits < 9 || decimals > 22 || !LITTLE_ENDIAN) return Number(sliceOf(text, start, end));
  const first = typeof text === 'string' ? text.charCodeAt(start) : text[start]!;
  const negative = first === 45;
  const integerFrom = negative || first === 43 ? start + 1 : start;
  const integerEnd = integerFrom + digits - decimals;
  const decimalsFrom = end - decimals;
  // The digits as one integer m = high * 10^8 + low, high below 10^11 and low below 10^8: both exact.
  let high: number;
  let low: number;
  if (decimals >= 8) {
    high = appendDigits(text, decimalsFrom, end - 8, appendDigits(text, integerFrom, integerEnd, 0));
    low = appendDigits(text, end - 8, end, 0);
  } else {
    high = appendDigits(text, integerFrom, integerEnd - 8 + decimals, 0);
    low = appendDigits(text, decimalsFrom, end, appendDigits(text, integerEnd - 8 + decimals, integerEnd, 0));
  }
  // m exactly, as mHigh + mLow: the rounding errors of high * 1e8 and of adding low are small integers.
  const scaled = high * 1e8;
  const scaledError = productError(high, 1e8, scaled);
  const mHigh = scaled + low;
  const mLow = low - (mHigh - scaled) + scaledError;
  const power = POW10[decimals]!;
  let x = mHigh / power;
  // x is within an ulp or so of m / 10^k; it is the answer when m lies within half an ulp (times 10^k) of it.
  for (let attempt = 0; attempt < 3; attempt++) {
    bits[0] = x;
    const exponent = (words[1]! >>> 20) & 0x7ff;
    // A power of two has a smaller ulp below it than above; it, and anything not a normal double, is left to Number().
    if (((words[1]! & 0xfffff) === 0 && words[0] === 0) || exponent < 53 || exponent === 0x7ff) break;
    words[1] = (exponent - 52) << 20;
    words[0] = 0;
    const ulp = bits[0]!;
    const product = x * power;
    // m - x * 10^k: the first difference is exact (the two are close) and the terms after it small.
    const distance = mHigh - product + mLow - productError(x, power, product);
    const half = (ulp / 2) * power;
    // Far more than `distance` can be off by in rounding, far less than half an ulp.
    const margin = half * 2 ** -40;
    if (Math.abs(distance) < half - margin) return negative ? -x : x;
    // Half an ulp away, give or take the margin: a tie, or too close to call.
    if (Math.abs(distance) <= half + margin) break;
    x = distance > 0 ? x + ulp : x - ulp;
  }
  return Number(sliceOf(text, start, end));
}
