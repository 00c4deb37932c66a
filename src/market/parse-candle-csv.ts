import { CsvError, parse } from 'csv-parse/sync';
import { UserError } from '../core/errors';
import { parseTimeText } from './candle-time';
import { candleProblem, rowError, type CandleRow, type ParsedCandleFile } from './candle-rows';

/** Header names each column may have, most specific first; headers are compared lower-cased. */
const ALIASES = {
  time: ['timestamp', 'time', 'date', 'datetime', 'open_time', 'opentime'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
} as const;
type Column = keyof typeof ALIASES;
const REQUIRED: readonly Column[] = ['time', 'open', 'high', 'low', 'close'];

/**
 * Some downloads (CryptoDataDownload's, for one) put a banner line above the header; the header must come
 * within this many lines of the top, so a file without one fails at once instead of after a full scan.
 */
const HEADER_WITHIN = 5;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** "Open Time" and "open-time" name the same column as "open_time". */
function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function columnsOf(header: readonly string[]): Partial<Record<Column, number>> {
  const names = header.map(normaliseHeader);
  const found: Partial<Record<Column, number>> = {};
  for (const column of Object.keys(ALIASES) as Column[]) {
    for (const alias of ALIASES[column]) {
      const index = names.indexOf(alias);
      if (index >= 0) {
        found[column] = index;
        break;
      }
    }
  }
  return found;
}

const CSV_OPTIONS = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true } as const;

/** Records with their line numbers; field counts are checked by the caller, with its own message. */
function readRecords(text: string, file: string, lines: { from_line?: number; to_line?: number }): CsvRecord[] {
  try {
    return parse(text, { ...CSV_OPTIONS, ...lines }) as unknown as CsvRecord[];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines;
    throw new UserError(`candle file "${file}" is not valid CSV${line ? ` at line ${line}` : ''} (${err.message})`);
  }
}

/** Where each column is; volume is optional. */
interface Columns {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | undefined;
}

/** The header's line and columns, looked for among the first records only. */
function findHeader(text: string, file: string): { line: number; columns: Columns } {
  const top = readRecords(text, file, { to_line: HEADER_WITHIN });
  for (const { record, info } of top) {
    const { time, open, high, low, close, volume } = columnsOf(record);
    if (time !== undefined && open !== undefined && high !== undefined && low !== undefined && close !== undefined) {
      return { line: info.lines, columns: { time, open, high, low, close, volume } };
    }
  }
  const partial = top.find((r) => Object.keys(columnsOf(r.record)).length > 0);
  if (partial) {
    const columns = columnsOf(partial.record);
    const missing = REQUIRED.filter((c) => columns[c] === undefined).map((c) => ALIASES[c].join(' or '));
    throw new UserError(`${file} line ${partial.info.lines}: the header has no column named ${missing.join(', nor ')}`);
  }
  throw new UserError(
    `candle file "${file}" has no header row naming its columns within its first ${HEADER_WITHIN} lines; add one such as timestamp,open,high,low,close,volume`,
  );
}

function readNumber(cell: string, name: string, file: string, at: number): number {
  if (cell === '') throw rowError(file, 'line', at, `${name} is empty`);
  if (!DECIMAL.test(cell)) throw rowError(file, 'line', at, `${name} ${JSON.stringify(cell)} is not a number`);
  return Number(cell);
}

/**
 * CSV with a header row naming the columns (any order, common aliases, case-insensitive). Times may be ms or
 * seconds since 1970 or ISO-8601 text; volume may be left out and is then 0.
 */
export function parseCandleCsv(text: string, file: string): ParsedCandleFile {
  const { line: headerLine, columns } = findHeader(text, file);
  // Parsing from the header on spares csv-parse a slow path it takes when records are longer than the first.
  const records = readRecords(text, file, { from_line: headerLine });
  const headerLength = records[0]!.record.length;
  const rows: CandleRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const at = info.lines;
    if (record.length !== headerLength) throw rowError(file, 'line', at, `it has ${record.length} fields but the header has ${headerLength}`);
    const timeText = record[columns.time]!;
    const time = parseTimeText(timeText);
    if (time === undefined) {
      throw rowError(file, 'line', at, `time ${JSON.stringify(timeText)} is not ms or seconds since 1970 nor an ISO-8601 date like 2021-01-01T00:00:00Z`);
    }
    const open = readNumber(record[columns.open]!, 'open', file, at);
    const high = readNumber(record[columns.high]!, 'high', file, at);
    const low = readNumber(record[columns.low]!, 'low', file, at);
    const close = readNumber(record[columns.close]!, 'close', file, at);
    const volume = columns.volume === undefined ? 0 : readNumber(record[columns.volume]!, 'volume', file, at);
    const problem = candleProblem(open, high, low, close, volume);
    if (problem) throw rowError(file, 'line', at, problem);
    rows.push({ time, open, high, low, close, volume, at });
  }
  return { rows, unit: 'line' };
}
