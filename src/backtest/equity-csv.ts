import { AsciiChunks } from './ascii-chunks';
import { equityColumns, type EquityColumns, type EquityPoint } from './equity-curve';

type CsvPoint = Pick<EquityPoint, 'time' | 'equity' | 'drawdownPct'>;

const HEADER = 'time,equity,drawdown\n';

/** The equity curve as CSV ('\n' line ends, trailing newline): ISO-8601 UTC time, equity and drawdown in percent at full precision. */
export function equityCsv(points: EquityColumns | readonly CsvPoint[]): string {
  return Buffer.concat([...equityCsvChunks(points)]).toString('latin1');
}

/**
 * The same text as byte chunks of about 1 MB, header first, to write one after the other: a run of ten
 * million periods makes more text than one V8 string can hold (2^29 characters), and bytes need no encoding.
 */
export function* equityCsvChunks(points: EquityColumns | readonly CsvPoint[]): Generator<Buffer> {
  const { length, time, equity, drawdownPct } = equityColumns(points);
  const out = new AsciiChunks();
  out.text(HEADER);
  // Flat stretches (no position open) repeat a row's numbers for thousands of rows; printing a double is
  // the dearest part of a row, so the last one's text is kept.
  let lastEquity = Number.NaN;
  let lastDrawdown = Number.NaN;
  let numbers = '';
  for (let i = 0; i < length; i++) {
    const e = equity[i]!;
    const d = drawdownPct[i]!;
    if (e !== lastEquity || d !== lastDrawdown) {
      lastEquity = e;
      lastDrawdown = d;
      numbers = `,${String(e)},${String(d)}\n`;
    }
    out.isoTime(time[i]!);
    out.repeatable(numbers);
    const chunk = out.fullChunk();
    if (chunk) yield chunk;
  }
  const rest = out.rest();
  if (rest.length > 0) yield rest;
}
