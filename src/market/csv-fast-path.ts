/**
 * The fast path for CSV candle files: the lines of plain, unquoted numeric CSV, read straight from the text
 * with no record arrays, field strings or regular expressions. It reads exactly what csv-parse (with the
 * options parse-candle-csv uses) would read; other lines go to a callback, and at the first line that cannot
 * be read without csv-parse (a quoted field with a comma, quote or line break in it, a carriage return that
 * ends no line, a field to trim) it stops, for the caller to hand the rest of the file to csv-parse.
 */
import { epochMs, utcMsOfPlainDate } from './candle-time';
import { isGoodCandle, type CandleRows } from './candle-rows';
import { EXACT_BELOW, longDecimal, POW10 } from './decimal-text';

/** Where each field of a line goes; `role[i]` for field i is one of these or NONE. */
export const TIME = 0;
export const OPEN = 1;
export const HIGH = 2;
export const LOW = 3;
export const CLOSE = 4;
export const VOLUME = 5;
export const NONE = -1;

export interface PlainCsv {
  /** Start of the first line after the header. */
  start: number;
  /** The line number of that line. */
  line: number;
  /** Lines end in CR LF rather than LF. */
  crlf: boolean;
}

/**
 * Called for a line the fast path does not read itself (a quote, an exponent, an ISO time with an offset, a
 * bad value...): `fields` is the line split at its commas, the record csv-parse makes of it unless a field
 * is quoted or has white space to trim. The callback adds the row or throws the line's error, or returns
 * false to leave the line (and the rest) to csv-parse. `quoteAhead` is false when no quote comes later in the
 * file.
 */
export type ReadOddLine = (fields: string[], line: number, quoteAhead: boolean) => boolean;

/** Where the fast path stopped: the start and number of the first line left for csv-parse. */
export interface Stop {
  pos: number;
  line: number;
}

const COMMA = 44;
const CR = 13;
const LF = 10;
const QUOTE = 34;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
const NINE = 57;

/** Where the last scanDecimal or scanTime stopped. */
let scanEnd = 0;

/**
 * The decimal `[+-]digits[.digits]` at `start` (stopping at `end` or the first other character), exactly as
 * Number() reads it; NaN when there is none there or it is written otherwise (".5", "1e5").
 */
function scanDecimal(text: string, start: number, end: number): number {
  let i = start;
  let c = i < end ? text.charCodeAt(i) : -1;
  const negative = c === MINUS;
  if (negative || c === PLUS) c = ++i < end ? text.charCodeAt(i) : -1;
  const integerFrom = i;
  let mantissa = 0;
  while (c >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    c = ++i < end ? text.charCodeAt(i) : -1;
  }
  const integerDigits = i - integerFrom;
  if (integerDigits === 0) {
    scanEnd = i;
    return NaN;
  }
  let decimals = 0;
  if (c === DOT) {
    c = ++i < end ? text.charCodeAt(i) : -1;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      decimals++;
      c = ++i < end ? text.charCodeAt(i) : -1;
    }
  }
  scanEnd = i;
  // Too many digits to add up exactly (a double printed in full, say).
  if (mantissa >= EXACT_BELOW || decimals > 22) return longDecimal(text, start, i, integerDigits + decimals, decimals);
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}

const digit = (text: string, i: number): number => text.charCodeAt(i) - ZERO;
const isDigit = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c >= ZERO && c <= NINE;
};
/** Two digits at i, or NaN. */
const twoDigits = (text: string, i: number): number => (isDigit(text, i) && isDigit(text, i + 1) ? digit(text, i) * 10 + digit(text, i + 1) : NaN);

/**
 * A candle time at `start` in one of the shapes most files use, as parseTimeText would read it: whole ms or
 * seconds since 1970, or `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z]`. NaN for anything else, including a time
 * parseTimeText would refuse; the caller then leaves the field to parseTimeText.
 */
function scanTime(text: string, start: number, end: number): number {
  if (start + 4 < end && text.charCodeAt(start + 4) === MINUS) return scanIsoTime(text, start, end);
  let i = start;
  let value = 0;
  let c = i < end ? text.charCodeAt(i) : -1;
  while (c >= ZERO && c <= NINE) {
    value = value * 10 + (c - ZERO);
    c = ++i < end ? text.charCodeAt(i) : -1;
  }
  scanEnd = i;
  if (i === start || value >= EXACT_BELOW) return NaN;
  return epochMs(value) ?? NaN;
}

function scanIsoTime(text: string, start: number, end: number): number {
  scanEnd = start;
  // YYYY-MM-DD?HH:MM:SS is 19 characters.
  if (start + 19 > end) return NaN;
  const year = twoDigits(text, start) * 100 + twoDigits(text, start + 2);
  const month = twoDigits(text, start + 5);
  const day = twoDigits(text, start + 8);
  const separator = text.charCodeAt(start + 10);
  const hour = twoDigits(text, start + 11);
  const minute = twoDigits(text, start + 14);
  const second = twoDigits(text, start + 17);
  if (
    text.charCodeAt(start + 7) !== MINUS ||
    (separator !== 84 && separator !== 116 && separator !== 32) || // T, t or a space
    text.charCodeAt(start + 13) !== 58 || // :
    text.charCodeAt(start + 16) !== 58
  ) {
    return NaN;
  }
  let i = start + 19;
  let ms = 0;
  if (i < end && text.charCodeAt(i) === DOT) {
    // parseTimeText keeps the first three digits of the fraction, padded with zeros.
    const from = ++i;
    while (i < end && isDigit(text, i)) {
      if (i - from < 3) ms = ms * 10 + digit(text, i);
      i++;
    }
    if (i === from) return NaN;
    for (let k = i - from; k < 3; k++) ms *= 10;
  }
  if (i < end && (text.charCodeAt(i) === 90 || text.charCodeAt(i) === 122)) i++; // Z or z
  scanEnd = i;
  return utcMsOfPlainDate(year, month, day, hour, minute, second, ms);
}

/**
 * Reads the lines of `text` from `from` on into `rows`: `role` says what each field of the header is and
 * `volumeRead` whether there is a volume column (without one, volume is 0). Lines the fast path cannot read
 * go to `readOdd`. Returns undefined when it read to the end, else where csv-parse must take over.
 */
export function readPlainCsv(text: string, from: PlainCsv, role: Int8Array, volumeRead: boolean, rows: CandleRows, readOdd: ReadOddLine): Stop | undefined {
  const length = text.length;
  const fields = role.length;
  const { crlf } = from;
  let pos = from.start;
  let line = from.line;
  let nextQuote = text.indexOf('"', pos);
  if (nextQuote < 0) nextQuote = length;
  let nextCr = text.indexOf('\r', pos);
  if (nextCr < 0) nextCr = length;

  while (pos < length) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = length;
    let end = lineEnd;
    if (crlf && lineEnd < length) {
      // A LF without its CR is no line break to csv-parse.
      if (lineEnd === pos || text.charCodeAt(lineEnd - 1) !== CR) return { pos, line };
      end = lineEnd - 1;
    }
    // A CR that ends no line still counts as one for csv-parse.
    if (nextCr < end) return { pos, line };

    if (nextQuote < lineEnd) {
      // Quotes can hide commas and line breaks: readOdd takes the line only if they do not.
      if (!readOdd(text.slice(pos, end).split(','), line, true)) return { pos, line };
      nextQuote = text.indexOf('"', lineEnd);
      if (nextQuote < 0) nextQuote = length;
    } else if (end > pos) {
      let time = NaN;
      let open = NaN;
      let high = NaN;
      let low = NaN;
      let close = NaN;
      let volume = volumeRead ? NaN : 0;
      let count = 0;
      let plain = true;
      let at = pos;
      for (;;) {
        const what = count < fields ? role[count]! : NONE;
        let fieldEnd: number;
        if (what === NONE) {
          const comma = text.indexOf(',', at);
          fieldEnd = comma < 0 || comma > end ? end : comma;
        } else {
          const value = what === TIME ? scanTime(text, at, end) : scanDecimal(text, at, end);
          fieldEnd = scanEnd;
          if (fieldEnd < end && text.charCodeAt(fieldEnd) !== COMMA) {
            plain = false;
            break;
          }
          if (what === TIME) time = value;
          else if (what === OPEN) open = value;
          else if (what === HIGH) high = value;
          else if (what === LOW) low = value;
          else if (what === CLOSE) close = value;
          else volume = value;
        }
        count++;
        if (fieldEnd >= end) break;
        at = fieldEnd + 1;
      }
      // NaN fails every comparison in isGoodCandle, and a time is never NaN when it was read.
      if (plain && count === fields && time === time && isGoodCandle(open, high, low, close, volume)) {
        rows.push(time, open, high, low, close, volume, line);
      } else if (!readOdd(text.slice(pos, end).split(','), line, nextQuote < length)) {
        return { pos, line };
      }
    }

    pos = lineEnd + 1;
    line++;
    if (crlf && nextCr < pos) {
      nextCr = text.indexOf('\r', pos);
      if (nextCr < 0) nextCr = length;
    }
  }
  return undefined;
}

/**
 * Where the data lines of a CSV file start when the lines up to the header (line `headerLine`) are plain:
 * none with a CR that ends no line, an odd number of quotes (a field running on into the next line) or a
 * lone CR as the first line break (csv-parse's old-Mac line endings). Undefined otherwise.
 */
export function plainCsvStart(text: string, headerLine: number): PlainCsv | undefined {
  const firstLf = text.indexOf('\n');
  const firstCr = text.indexOf('\r');
  // csv-parse takes the first line break it meets as the one every line ends with.
  const crlf = firstCr >= 0 && (firstLf < 0 || firstCr < firstLf);
  if (crlf && firstCr + 1 !== firstLf) return undefined;
  let pos = 0;
  for (let line = 1; line <= headerLine; line++) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = text.length;
    const end = crlf && lineEnd < text.length ? lineEnd - 1 : lineEnd;
    if (crlf && lineEnd < text.length && (lineEnd === pos || text.charCodeAt(end) !== CR)) return undefined;
    let quotes = 0;
    for (let i = pos; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === CR || c === LF) return undefined;
      if (c === QUOTE) quotes++;
    }
    if (quotes % 2 !== 0) return undefined;
    pos = Math.min(lineEnd + 1, text.length);
  }
  return { start: pos, line: headerLine + 1, crlf };
}
