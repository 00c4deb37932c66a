import type { CandleColumns } from '../market/candle-columns';
import type { ClosedTrade } from '../portfolio/types';
import { seconds, type CandleRow, type EquityRow, type ReportEquityPoint, type TradeRow } from './report-rows';
import { reportBars, reportEquityPoints } from './report-thinning';

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

export function buildReportData(
  candles: Record<string, CandleColumns>,
  trades: readonly ClosedTrade[],
  equity: readonly ReportEquityPoint[],
): ReportData {
  const symbols = reportSymbols(candles, trades);
  const indexOf = new Map(symbols.map((symbol, i) => [symbol, i]));
  const bars = symbols.map((symbol) => reportBars(candles[symbol]));
  return {
    symbols,
    candles: bars.map((b) => b.rows),
    periodsPerBar: bars.map((b) => b.periodsPerBar),
    trades: trades.map((t): TradeRow => [
      indexOf.get(t.symbol) ?? -1,
      seconds(t.entryTime),
      seconds(t.exitTime),
      t.qty,
      t.entryPrice,
      t.exitPrice,
      t.fees,
      t.pnl,
      t.pnlPct,
      t.exitReason,
    ]),
    equity: reportEquityPoints(equity).map((p): EquityRow => [seconds(p.time), p.equity, p.drawdownPct]),
    equityPoints: equity.length,
  };
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

