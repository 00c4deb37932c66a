import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors';
import type { CandleColumns } from './candle-columns';
import { checkDistinctTimes, checkSteps, inTimeOrder } from './candle-order';
import type { ParsedCandleFile } from './candle-rows';
import { formatDuration } from './candle-time';
import { findTimeGaps, type Gap } from './gaps';
import { inferFromFileName, mostCommonStep, timeframeOfLength } from './infer-series';
import { parseCandleCsv } from './parse-candle-csv';
import { parseCandleJsonBytes } from './parse-candle-json';
import { splitSymbol } from './symbols';
import { isTimeframe, timeframeMs, TIMEFRAMES } from './timeframe';

export type { Gap } from './gaps';

/** The candles of one symbol on one timeframe, read from one file. */
export interface CandleSeries {
  /** As the caller gave it; used in messages. */
  file: string;
  symbol: string;
  timeframe: string;
  /** Ascending by time, no two at the same time; held as columns, see candle-columns.ts for why. */
  candles: CandleColumns;
  /** Where candles are missing; allowed (exchanges have outages) but worth reporting. */
  gaps: Gap[];
}

/** What the user said about the file, e.g. from --symbol and --timeframe; wins over the file name. */
export interface CandleFileHint {
  symbol?: string;
  timeframe?: string;
}

/** A parser gets the file's bytes (a byte-order mark skipped) and the text they decode to, on demand. */
const PARSERS: Record<string, (bytes: Buffer, file: string, text: () => string) => ParsedCandleFile> = {
  // The usual JSON file is read from its bytes; only one the fast path does not read is decoded.
  '.json': parseCandleJsonBytes,
  '.csv': (_bytes, file, text) => parseCandleCsv(text(), file),
};

function readBytes(file: string): Buffer {
  try {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat === undefined) throw new UserError(`candle file "${file}" does not exist`);
    if (stat.isDirectory()) throw new UserError(`candle file "${file}" is a directory, not a .json or .csv file`);
    const bytes = fs.readFileSync(file);
    // JSON.parse rejects a byte-order mark; csv-parse strips its own.
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_FS_FILE_TOO_LARGE') throw tooBig(file);
    throw new UserError(`candle file "${file}" cannot be read (${code ?? String(err)})`);
  }
}

/** The bytes as text, for the parsers that need it; each error names the file. */
function decode(file: string, bytes: Buffer): string {
  let text: string;
  try {
    text = bytes.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_STRING_TOO_LONG') throw tooBig(file);
    throw err;
  }
  if (text.trim() === '') throw new UserError(`candle file "${file}" is empty`);
  return text;
}

function tooBig(file: string): UserError {
  const megabytes = Math.round(fs.statSync(file).size / 1024 / 1024);
  return new UserError(
    `candle file "${file}" is too big to read (${megabytes} MB): a CSV file, or a JSON file that is not plain ccxt rows, is read as one text of at most 512 MB`,
  );
}

function chooseSymbol(file: string, hint: string | undefined, fromName: string | undefined): string {
  if (hint !== undefined) {
    splitSymbol(hint);
    return hint;
  }
  if (fromName === undefined) {
    throw new UserError(`cannot tell the symbol of candle file "${file}" from its name; pass --symbol, e.g. --symbol BTC/USDT`);
  }
  return fromName;
}

/**
 * The timeframe given (by the hint, else the file name) or, without one, the most common step between the
 * candles. A given timeframe must match that step, so a mislabelled file fails here with both named.
 */
function chooseTimeframe(file: string, times: ArrayLike<number>, hint: string | undefined, fromName: string | undefined): string {
  if (hint !== undefined && !isTimeframe(hint)) throw new UserError(`timeframe "${hint}" is not one of ${TIMEFRAMES.join(', ')}`);
  const given = hint ?? fromName;
  const step = mostCommonStep(times);
  if (given !== undefined) {
    if (step !== undefined && step !== timeframeMs(given)) {
      const source = hint !== undefined ? `the timeframe given is ${given}` : `its name says ${given}`;
      throw new UserError(`candle file "${file}" holds candles mostly ${formatDuration(step)} apart, but ${source}`);
    }
    return given;
  }
  if (step === undefined) throw new UserError(`cannot tell the timeframe of candle file "${file}" from one candle; pass --timeframe`);
  const inferred = timeframeOfLength(step);
  if (inferred === undefined) {
    throw new UserError(`candle file "${file}" holds candles mostly ${formatDuration(step)} apart, which is not a timeframe (${TIMEFRAMES.join(', ')})`);
  }
  return inferred;
}

/**
 * Reads a file of OHLCV candles: ccxt-style JSON rows or CSV with a header, chosen by extension. The symbol
 * and timeframe come from `hint`, else from the file name, else (the timeframe only) from the timestamps.
 * Every problem is a UserError naming the file and, for a bad row, its line (CSV) or row (JSON).
 */
export function loadCandleFile(file: string, hint: CandleFileHint = {}): CandleSeries {
  const bytes = readBytes(file);
  const parser = PARSERS[path.extname(file).toLowerCase()];
  if (!parser) throw new UserError(`candle file "${file}" must end in .json (ccxt OHLCV rows) or .csv (with a header row)`);
  const named = inferFromFileName(file);
  const symbol = chooseSymbol(file, hint.symbol, named.symbol);

  const { rows: unordered, unit } = parser(bytes, file, () => decode(file, bytes));
  if (unordered.length === 0) throw new UserError(`candle file "${file}" holds no candles`);
  const rows = inTimeOrder(unordered);
  checkDistinctTimes(rows, file, unit);
  const times = rows.time.subarray(0, rows.length);
  const timeframe = chooseTimeframe(file, times, hint.timeframe, named.timeframe);
  const periodMs = timeframeMs(timeframe);
  checkSteps(rows, periodMs, file, unit);

  const candles = rows.toColumns(symbol, timeframe);
  return { file, symbol, timeframe, candles, gaps: findTimeGaps(candles.time, periodMs) };
}
