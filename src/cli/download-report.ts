import { isoTime } from '../market/candle-time';
import type { Gap } from '../market/gaps';
import { timeframeMs } from '../market/timeframe';

/** What one symbol's download did, for its line on the terminal. */
export interface SymbolReport {
  symbol: string;
  timeframe: string;
  file: string;
  added: number;
  total: number;
  first?: number;
  last?: number;
  gaps: Gap[];
}

const MAX_GAP_LINES = 20;

/** 2024-01-01T00:00Z: minutes are the finest a candle timeframe goes. */
export function shortTime(ms: number): string {
  return isoTime(ms).replace(':00.000Z', 'Z');
}

export function symbolLine(r: SymbolReport): string {
  if (r.total === 0) return `${r.symbol} ${r.timeframe}: the exchange has no candles in this range; nothing written`;
  const missing = r.gaps.reduce((n, g) => n + g.missing, 0);
  const gaps = r.gaps.length === 0 ? 'no gaps' : `${r.gaps.length} gap(s), ${missing} candles missing`;
  return `${r.symbol} ${r.timeframe}: +${r.added} candles, ${r.total} in ${r.file}, ${shortTime(r.first!)} to ${shortTime(r.last!)}, ${gaps}`;
}

/** One line per gap (the first few of each symbol): where the exchange really has no candles. */
export function gapLines(reports: readonly SymbolReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    const period = timeframeMs(r.timeframe);
    for (const g of r.gaps.slice(0, MAX_GAP_LINES)) {
      lines.push(`gap: ${r.symbol} ${r.timeframe} has no candles from ${shortTime(g.from + period)} to ${shortTime(g.to - period)} (${g.missing} missing)`);
    }
    if (r.gaps.length > MAX_GAP_LINES) lines.push(`gap: ${r.symbol} ${r.timeframe} has ${r.gaps.length - MAX_GAP_LINES} more gaps`);
  }
  return lines;
}
