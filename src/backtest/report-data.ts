import type { CandleColumns } from '../market/candle-columns';
import type { ClosedTrade } from '../portfolio/types';
import { equityColumns, type EquityColumns } from './equity-curve';
import { seconds, type CandleRow, type EquityRow, type ReportEquityPoint, type TradeRow } from './report-rows';
import { barsPerSymbol, keptEquityIndices, reportBars } from './report-thinning';

export type { CandleRow, EquityRow, ReportEquityPoint, TradeRow } from './report-rows';

/**
 * What the report's page script reads. Rows are arrays of numbers, not objects: a backtest can have 100k+
 * candles per symbol and key names would double the file. Times are in seconds, the unit the chart library
 * takes (UTCTimestamp).
 */
export interface ReportData {
  symbols: string[];
  /** Per symbol, in `symbols` order: [time s, open, high, low, close]; bars of several periods on a long run (report-thinning.ts). */
  candles: CandleRow[][];
  /** Per symbol: the periods of the timeframe each bar holds, 1 unless the series was too long to draw candle by candle. */
  periodsPerBar: number[];
  trades: TradeRow[];
  /** [time s, equity, drawdown % as given]; thinned on a long run (report-thinning.ts). */
  equity: EquityRow[];
  /** Equity points given, of which `equity` holds a share on a long run. */
  equityPoints: number;
}

/** Rows per piece of the data's JSON: pieces of some hundred KB, however long the run. */
const ROWS_PER_PIECE = 8192;

/** The report's data, thinned, before it is written as JSON; what the page's notes are worded from. */
export interface ReportDataPlan {
  symbols: string[];
  bars: Array<{ rows: CandleRow[]; periodsPerBar: number }>;
  trades: readonly ClosedTrade[];
  equity: EquityColumns;
  /** Indices into `equity` drawn on the page. */
  keptEquity: number[];
}

export function planReportData(
  candles: Record<string, CandleColumns>,
  trades: readonly ClosedTrade[],
  equity: EquityColumns | readonly ReportEquityPoint[],
): ReportDataPlan {
  const symbols = reportSymbols(candles, trades);
  const columns = equityColumns(equity);
  return {
    symbols,
    bars: symbols.map((symbol) => reportBars(candles[symbol], barsPerSymbol(symbols.length))),
    trades,
    equity: columns,
    keptEquity: keptEquityIndices(columns.length, (i) => columns.equity[i]!, (i) => columns.drawdownPct[i]!),
  };
}

/**
 * The ReportData as JSON for a <script type="application/json"> element, in pieces: the same text as
 * jsonForScript(data) would give, without building the data's rows as objects or the whole text as one string.
 */
export function* reportDataJson(plan: ReportDataPlan): Generator<string> {
  const indexOf = new Map(plan.symbols.map((symbol, i) => [symbol, i]));
  yield `{"symbols":${jsonForScript(plan.symbols)},"candles":[`;
  for (let s = 0; s < plan.bars.length; s++) {
    yield s === 0 ? '[' : ',[';
    yield* rowPieces(plan.bars[s]!.rows.length, (i) => {
      const [time, open, high, low, close] = plan.bars[s]!.rows[i]!;
      return `[${num(time)},${num(open)},${num(high)},${num(low)},${num(close)}]`;
    });
    yield ']';
  }
  yield `],"periodsPerBar":${JSON.stringify(plan.bars.map((b) => b.periodsPerBar))},"trades":[`;
  yield* rowPieces(plan.trades.length, (i) => {
    const t = plan.trades[i]!;
    const row: TradeRow = [indexOf.get(t.symbol) ?? -1, seconds(t.entryTime), seconds(t.exitTime), t.qty, t.entryPrice, t.exitPrice, t.fees, t.pnl, t.pnlPct, t.exitReason];
    return jsonForScript(row);
  });
  yield '],"equity":[';
  const { time, equity, drawdownPct } = plan.equity;
  yield* rowPieces(plan.keptEquity.length, (k) => {
    const i = plan.keptEquity[k]!;
    return `[${num(seconds(time[i]!))},${num(equity[i]!)},${num(drawdownPct[i]!)}]`;
  });
  yield `],"equityPoints":${plan.equity.length}}`;
}

/** The candle symbols in input order, then any traded symbol without candles, so every trade has an index. */
export function reportSymbols(candles: Record<string, CandleColumns>, trades: readonly ClosedTrade[]): string[] {
  const symbols = new Set(Object.keys(candles));
  for (const t of trades) symbols.add(t.symbol);
  return [...symbols];
}

/**
 * JSON for a <script type="application/json"> element. Every "<" becomes \u003c: JSON.parse reads the same
 * string, and no value (a title, a symbol, an exit reason) can close the element with "</script>" or open
 * an HTML comment with "<!--" that would make the parser miss the closing tag.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

/** A number as JSON.stringify writes it: null for what JSON cannot hold. */
function num(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Rows joined by commas, a few thousand to a piece. */
function* rowPieces(count: number, row: (i: number) => string): Generator<string> {
  for (let start = 0; start < count; start += ROWS_PER_PIECE) {
    const end = Math.min(count, start + ROWS_PER_PIECE);
    const rows = new Array<string>(end - start);
    for (let i = start; i < end; i++) rows[i - start] = row(i);
    yield (start === 0 ? '' : ',') + rows.join(',');
  }
}
