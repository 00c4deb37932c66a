import { findJsonSyntaxError } from '../config/json-syntax-error';
import { UserError } from '../core/errors';
import { epochMs } from './candle-time';
import { candleProblem, rowError, type CandleRow, type ParsedCandleFile } from './candle-rows';

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

/**
 * Rows of ccxt's fetchOHLCV (and freqtrade's data files): `[[ms, open, high, low, close, volume], ...]`.
 * Every value must already be a number; this runs once per row of files with 100,000 rows, so it does no
 * string work unless a row is wrong.
 */
export function parseCandleJson(text: string, file: string): ParsedCandleFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw syntaxError(file, text);
  }
  if (!Array.isArray(data)) throw new UserError(`candle file "${file}" must hold an array of rows, each ${ROW_SHAPE}, not ${describe(data)}`);

  const rows: CandleRow[] = new Array<CandleRow>(data.length);
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
    rows[i] = { time, open, high, low, close, volume, at };
  }
  return { rows, unit: 'row' };
}
