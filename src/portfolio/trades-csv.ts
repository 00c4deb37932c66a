import { csvTable, isoTime } from '../core/csv';
import type { ClosedTrade } from './types';

const COLUMNS = ['symbol', 'entryTime', 'exitTime', 'side', 'qty', 'entryPrice', 'exitPrice', 'fees', 'pnl', 'pnlPct', 'exitReason', 'strategy'] as const;

/** Closed trades as CSV, one row per round trip, times in ISO-8601 UTC, numbers at full precision. */
export function tradesCsv(trades: readonly ClosedTrade[]): string {
  return csvTable(
    COLUMNS,
    trades.map((t) => [
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
    ]),
  );
}
