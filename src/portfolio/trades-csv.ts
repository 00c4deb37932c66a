import type { ClosedTrade } from './types';

const COLUMNS = ['symbol', 'entryTime', 'exitTime', 'side', 'qty', 'entryPrice', 'exitPrice', 'fees', 'pnl', 'pnlPct', 'exitReason'] as const;

/** Closed trades as CSV (RFC 4180 quoting, '\n' line ends), one row per round trip, times in ISO-8601 UTC. */
export function tradesCsv(trades: readonly ClosedTrade[]): string {
  const rows = trades.map((t) =>
    [
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
    ].map(csvField),
  );
  return [COLUMNS, ...rows].map((fields) => `${fields.join(',')}\n`).join('');
}

// toISOString formats the time it is given; it does not read the clock.
function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
