import { csvLine, isoTime } from '../core/csv';
import type { ClosedTrade } from './types';

const COLUMNS = ['symbol', 'entryTime', 'exitTime', 'side', 'qty', 'entryPrice', 'exitPrice', 'fees', 'pnl', 'pnlPct', 'exitReason', 'strategy'] as const;

/** The header line of trades.csv. */
export const TRADES_CSV_HEADER = csvLine(COLUMNS);

/**
 * Closed trades as CSV, one row per round trip, times in ISO-8601 UTC, numbers at full precision: the header
 * and tradesCsvRow() of each, so a file written a row at a time is the same text as one written whole.
 */
export function tradesCsv(trades: readonly ClosedTrade[]): string {
  let text = TRADES_CSV_HEADER;
  for (const t of trades) text += tradesCsvRow(t);
  return text;
}

/** One closed trade's line of trades.csv. */
export function tradesCsvRow(t: ClosedTrade): string {
  return csvLine([
    t.symbol,
    isoTime(t.entryTime),
    isoTime(t.exitTime),
    t.side,
    String(t.qty),
    String(t.entryPrice),
    String(t.exitPrice),
    String(t.fees),
    String(t.pnl),
    String(t.pnlPct),
    t.exitReason,
    t.strategy ?? '',
  ]);
}
