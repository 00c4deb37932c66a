import type { EquityPoint } from './equity-curve';

type CsvPoint = Pick<EquityPoint, 'time' | 'equity' | 'drawdownPct'>;

/** Rows per piece of equityCsvPieces: a few MB of text at a time, however long the run. */
const ROWS_PER_PIECE = 65_536;

/** The equity curve as CSV ('\n' line ends, trailing newline): ISO-8601 UTC time, equity and drawdown in percent at full precision. */
export function equityCsv(points: readonly CsvPoint[]): string {
  return [...equityCsvPieces(points)].join('');
}

/**
 * The same text in pieces, header first, to write one after the other: a run of ten million periods makes
 * more text than one V8 string can hold (2^29 characters).
 */
export function* equityCsvPieces(points: readonly CsvPoint[]): Generator<string> {
  yield 'time,equity,drawdown\n';
  for (let start = 0; start < points.length; start += ROWS_PER_PIECE) {
    let piece = '';
    // toISOString formats the time it is given; it does not read the clock.
    for (const p of points.slice(start, start + ROWS_PER_PIECE)) piece += `${new Date(p.time).toISOString()},${String(p.equity)},${String(p.drawdownPct)}\n`;
    yield piece;
  }
}
