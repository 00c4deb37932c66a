import { findJsonSyntaxError } from '../config/json-syntax-error';
import { UserError } from '../core/errors';
import { epochMs } from './candle-time';
import { CandleRows, candleProblem, isGoodCandle, rowError, type ParsedCandleFile } from './candle-rows';
import { EXACT_BELOW, longDecimal, POW10 } from './decimal-text';

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
const ROW_SHAPE = 'an array of 6 numbers [time, open, high, low, close, volume]';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}...` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function syntaxError(file: string, text: string): UserError {
  const problem = findJsonSyntaxError(text);
  const where = problem ? `: ${problem.reason} at line ${problem.line}, column ${problem.column}` : '';
  return new UserError(`candle file "${file}" is not valid JSON${where}`);
}

const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** Where the last skipSpace or scanNumber stopped. */
let scanEnd = 0;

/** The first byte from i on that is not JSON white space (-1 at the end); its index in scanEnd. */
function skipSpace(bytes: Uint8Array, i: number): number {
  const length = bytes.length;
  let c = i < length ? bytes[i]! : -1;
  while (c === 32 || c === 10 || c === 13 || c === 9) c = ++i < length ? bytes[i]! : -1;
  scanEnd = i;
  return c;
}

/** The JSON number at `start` as JSON.parse reads it, its end in scanEnd; NaN when no number starts there. */
function scanNumber(bytes: Uint8Array, start: number): number {
  const length = bytes.length;
  let i = start;
  let c = i < length ? bytes[i]! : -1;
  const negative = c === MINUS;
  if (negative) c = ++i < length ? bytes[i]! : -1;
  scanEnd = i;
  if (c < ZERO || c > NINE) return NaN;
  const integerFrom = i;
  let mantissa = 0;
  if (c === ZERO) {
    c = ++i < length ? bytes[i]! : -1;
  } else {
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      c = ++i < length ? bytes[i]! : -1;
    }
  }
  const integerDigits = i - integerFrom;
  let decimals = 0;
  if (c === DOT) {
    c = ++i < length ? bytes[i]! : -1;
    scanEnd = i;
    if (c < ZERO || c > NINE) return NaN;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      decimals++;
      c = ++i < length ? bytes[i]! : -1;
    }
  }
  if (c === 101 || c === 69) {
    // e or E: an exponent, which Number reads as JSON.parse does.
    c = ++i < length ? bytes[i]! : -1;
    if (c === 43 || c === MINUS) c = ++i < length ? bytes[i]! : -1;
    scanEnd = i;
    if (c < ZERO || c > NINE) return NaN;
    while (c >= ZERO && c <= NINE) c = ++i < length ? bytes[i]! : -1;
    scanEnd = i;
    return Number(ascii(bytes, start, i));
  }
  scanEnd = i;
  // Too many digits to add up exactly (a double printed in full, say).
  if (mantissa >= EXACT_BELOW || decimals > 22) return longDecimal(bytes, start, i, integerDigits + decimals, decimals);
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}

/** bytes[from, to) as text; only ever digits, signs, points and exponents here, and a rare case (an exponent). */
function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** How many times `byte` occurs in bytes. */
function countByte(bytes: Uint8Array, byte: number): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let i = buffer.indexOf(byte); i !== -1; i = buffer.indexOf(byte, i + 1)) count++;
  return count;
}

/**
 * The rows of the usual file, read straight from its bytes: an array of arrays of six JSON numbers, each row
 * a good candle. Undefined for anything else (a syntax error, a string or null, a row of five, a bad candle),
 * which parseCandleJson then reads as text with JSON.parse to give the error it always has. Reading bytes, not
 * a decoded text, saves the decoding and a second copy of the file in memory.
 */
function readPlainJson(bytes: Uint8Array): CandleRows | undefined {
  // Every row opens with a bracket, and so does the array around them.
  const rows = new CandleRows(countByte(bytes, OPEN_BRACKET) - 1);
  const row = new Float64Array(6);
  let c = skipSpace(bytes, 0);
  if (c !== OPEN_BRACKET) return undefined;
  c = skipSpace(bytes, scanEnd + 1);
  if (c === CLOSE_BRACKET) return skipSpace(bytes, scanEnd + 1) === -1 ? rows : undefined;
  for (;;) {
    if (c !== OPEN_BRACKET) return undefined;
    let i = scanEnd + 1;
    for (let f = 0; f < 6; f++) {
      skipSpace(bytes, i);
      row[f] = scanNumber(bytes, scanEnd);
      c = skipSpace(bytes, scanEnd);
      if (c !== (f < 5 ? COMMA : CLOSE_BRACKET)) return undefined;
      i = scanEnd + 1;
    }
    // A NaN (a field not read) and ±Infinity (1e999) fail these checks as they fail in parseWhole.
    const time = epochMs(row[0]!);
    const open = row[1]!;
    const high = row[2]!;
    const low = row[3]!;
    const close = row[4]!;
    const volume = row[5]!;
    if (time === undefined || !isGoodCandle(open, high, low, close, volume)) return undefined;
    rows.push(time, open, high, low, close, volume, rows.length + 1);
    c = skipSpace(bytes, i);
    if (c === CLOSE_BRACKET) return skipSpace(bytes, scanEnd + 1) === -1 ? rows : undefined;
    if (c !== COMMA) return undefined;
    c = skipSpace(bytes, scanEnd + 1);
  }
}

/** Every row through JSON.parse: for a file the fast path does not read, to find the first thing wrong. */
function parseWhole(text: string, file: string): CandleRows {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw syntaxError(file, text);
  }
  if (!Array.isArray(data)) throw new UserError(`candle file "${file}" must hold an array of rows, each ${ROW_SHAPE}, not ${describe(data)}`);

  const rows = new CandleRows(data.length);
  for (let i = 0; i < data.length; i++) {
    const row: unknown = data[i];
    const at = i + 1;
    if (!Array.isArray(row) || row.length !== 6) throw rowError(file, 'row', at, `expected ${ROW_SHAPE} but found ${describe(row)}`);
    for (let f = 0; f < 6; f++) {
      const value: unknown = row[f];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw rowError(file, 'row', at, `${FIELDS[f]} is ${describe(value)}, not a finite number`);
      }
    }
    const [rawTime, open, high, low, close, volume] = row as [number, number, number, number, number, number];
    const time = epochMs(rawTime);
    if (time === undefined) throw rowError(file, 'row', at, `time ${rawTime} is not a whole number of ms (or seconds) since 1970`);
    const problem = candleProblem(open, high, low, close, volume);
    if (problem) throw rowError(file, 'row', at, problem);
    rows.push(time, open, high, low, close, volume, at);
  }
  return rows;
}

/**
 * Rows of ccxt's fetchOHLCV (and freqtrade's data files): `[[ms, open, high, low, close, volume], ...]`.
 * Every value must already be a number. Files of a million rows are common, so the usual file is read by a
 * fast path that makes no array per row; anything else, and every error, goes through JSON.parse.
 */
export function parseCandleJson(text: string, file: string): ParsedCandleFile {
  return parseCandleJsonBytes(Buffer.from(text, 'utf8'), file, () => text);
}

/**
 * The same from the file's bytes (a byte-order mark already skipped): only a file the fast path does not
 * read is decoded, by `text`, which may throw the error a file too big for one text gives.
 */
export function parseCandleJsonBytes(bytes: Uint8Array, file: string, text: () => string): ParsedCandleFile {
  return { rows: readPlainJson(bytes) ?? parseWhole(text(), file), unit: 'row' };
}

/** parseCandleJson without its fast path, every row read by JSON.parse: for tests that hold the two to one result. */
export function parseCandleJsonByJsonParse(text: string, file: string): ParsedCandleFile {
  return { rows: parseWhole(text, file), unit: 'row' };
}
