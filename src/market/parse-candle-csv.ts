import { CsvError, parse } from 'csv-parse/sync';
import { UserError } from '../core/errors';
import { parseTimeText } from './candle-time';
import { CandleRows, candleProblem, rowError, rowsAtMost, type ParsedCandleFile } from './candle-rows';
import { CLOSE, HIGH, LOW, NONE, OPEN, plainCsvStart, readPlainCsv, TIME, VOLUME, type Stop } from './csv-fast-path';

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

interface Header {
  line: number;
  columns: Columns;
  /** How many fields the header has, and so every row must have. */
  fields: number;
}

/**
 * The text csv-parse must see to read the first HEADER_WITHIN lines as it would in the whole file: up to the
 * first character after that many line feeds, where it stops (it counts every CR and LF, quoted or not).
 */
function topOf(text: string): string {
  let end = 0;
  for (let line = 0; line < HEADER_WITHIN; line++) {
    const lineFeed = text.indexOf('\n', end);
    if (lineFeed < 0) return text;
    end = lineFeed + 1;
  }
  return text.slice(0, end + 1);
}

/** The header's line and columns, looked for among the first records only. */
function findHeader(text: string, file: string): Header {
  const top = readRecords(topOf(text), file, { to_line: HEADER_WITHIN });
  for (const { record, info } of top) {
    const { time, open, high, low, close, volume } = columnsOf(record);
    if (time !== undefined && open !== undefined && high !== undefined && low !== undefined && close !== undefined) {
      return { line: info.lines, columns: { time, open, high, low, close, volume }, fields: record.length };
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

/** Adds the candle of one record, the fields of line `at` as csv-parse reads them, or throws that line's error. */
function addRecord(rows: CandleRows, record: readonly string[], at: number, header: Header, file: string): void {
  const { columns, fields } = header;
  if (record.length !== fields) throw rowError(file, 'line', at, `it has ${record.length} fields but the header has ${fields}`);
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
  rows.push(time, open, high, low, close, volume, at);
}

/** Every row by csv-parse, for a file whose top the fast path cannot start after. */
function parseWhole(text: string, file: string, header: Header): CandleRows {
  // Parsing from the header on spares csv-parse a slow path it takes when records are longer than the first.
  const records = readRecords(text, file, { from_line: header.line });
  // The first record is the header's, unless CRs that end no line (which csv-parse counts as lines) moved it.
  const asRead = { ...header, fields: records[0]?.record.length ?? header.fields };
  const rows = new CandleRows(records.length);
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    addRecord(rows, record, info.lines, asRead, file);
  }
  return rows;
}

/**
 * The rows from where the fast path stopped to the end, by csv-parse. It reads text.slice(stop.pos) as it
 * reads that part of the whole file, the lines before being plain and ended by `lineEnd`; only its line
 * numbers lack the lines before.
 */
function parseRest(text: string, file: string, header: Header, stop: Stop, lineEnd: string, rows: CandleRows): CandleRows {
  let records: CsvRecord[];
  try {
    records = parse(text.slice(stop.pos), { ...CSV_OPTIONS, bom: false, record_delimiter: lineEnd }) as unknown as CsvRecord[];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // Its message counts lines from the stop; the whole file makes the same error with the file's lines.
    return parseWhole(text, file, header);
  }
  for (const { record, info } of records) addRecord(rows, record, info.lines + stop.line - 1, header, file);
  return rows;
}

const QUOTE = 34;

/**
 * The fields of a line split at its commas as csv-parse reads them, when that is easy: quotes around a whole
 * field are dropped, and no field may have another quote nor white space (or anything but printable ASCII)
 * at either end. Undefined when csv-parse must read the line: it may hold a quoted comma, or trim a field.
 */
function asCsvParseReads(fields: string[]): string[] | undefined {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field === '') continue;
    const first = field.charCodeAt(0);
    const last = field.charCodeAt(field.length - 1);
    if (first === QUOTE) {
      if (field.length < 2 || last !== QUOTE || field.indexOf('"', 1) !== field.length - 1) return undefined;
      fields[i] = field.slice(1, -1);
    } else if (!(first > 32 && first < 127 && last > 32 && last < 127) || field.includes('"')) {
      return undefined;
    }
  }
  return fields;
}

/**
 * CSV with a header row naming the columns (any order, common aliases, case-insensitive). Times may be ms or
 * seconds since 1970 or ISO-8601 text; volume may be left out and is then 0.
 *
 * Plain lines (no quotes, the numbers and times most files hold) are read by the fast path in csv-fast-path;
 * a line with anything else in a field, or quotes around whole fields, is split at its commas and read here;
 * from the first line that needs csv-parse (see asCsvParseReads), csv-parse reads the rest. Every way gives
 * the same rows, and the same first error: csv-parse's for a file that is not valid CSV, else the first bad
 * line's.
 */
export function parseCandleCsv(text: string, file: string): ParsedCandleFile {
  const header = findHeader(text, file);
  const start = plainCsvStart(text, header.line);
  if (start === undefined) return { rows: parseWhole(text, file, header), unit: 'line' };

  const { columns } = header;
  const role = new Int8Array(header.fields).fill(NONE);
  role[columns.time] = TIME;
  role[columns.open] = OPEN;
  role[columns.high] = HIGH;
  role[columns.low] = LOW;
  role[columns.close] = CLOSE;
  if (columns.volume !== undefined) role[columns.volume] = VOLUME;

  // A row at most per line, the header's included.
  const rows = new CandleRows(rowsAtMost(text, '\n') + 1);
  const readOdd = (split: string[], line: number, quoteAhead: boolean): boolean => {
    const fields = asCsvParseReads(split);
    if (fields === undefined) return false;
    try {
      addRecord(rows, fields, line, header, file);
      return true;
    } catch (err) {
      // A quote further on may be one csv-parse cannot read, and its error comes before any bad line's.
      if (quoteAhead && err instanceof UserError) return false;
      throw err;
    }
  };
  const stop = readPlainCsv(text, start, role, columns.volume !== undefined, rows, readOdd);
  return { rows: stop ? parseRest(text, file, header, stop, start.crlf ? '\r\n' : '\n', rows) : rows, unit: 'line' };
}

/** parseCandleCsv without its fast path, every line read by csv-parse: for tests that hold the two to one result. */
export function parseCandleCsvByCsvParse(text: string, file: string): ParsedCandleFile {
  return { rows: parseWhole(text, file, findHeader(text, file)), unit: 'line' };
}
