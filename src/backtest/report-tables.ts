import type { ClosedTrade } from '../portfolio/types';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

export function metricsTable(metrics: ReadonlyArray<readonly [label: string, value: string]>): string {
  const rows = metrics.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`);
  return `<table class="metrics"><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

const TRADE_COLUMNS = ['#', 'symbol', 'entry time (UTC)', 'exit time (UTC)', 'qty', 'entry', 'exit', 'fees', 'pnl', 'pnl %', 'exit reason'];

/** One row per trade; `data-trade` is the trade's index in the embedded data, for the page script. */
export function tradesTable(trades: readonly ClosedTrade[]): string {
  const head = TRADE_COLUMNS.map((c) => `<th>${c}</th>`).join('');
  const rows = trades.map((t, i) => {
    const tone = t.pnl > 0 ? 'win' : t.pnl < 0 ? 'loss' : '';
    return (
      `<tr data-trade="${i}"><td>${i + 1}</td><td>${escapeHtml(t.symbol)}</td>` +
      `<td>${isoTime(t.entryTime)}</td><td>${isoTime(t.exitTime)}</td>` +
      `<td>${plain(t.qty, 8)}</td><td>${plain(t.entryPrice, 8)}</td><td>${plain(t.exitPrice, 8)}</td>` +
      `<td>${plain(t.fees, 4)}</td><td class="${tone}">${plain(t.pnl, 4)}</td><td class="${tone}">${t.pnlPct.toFixed(2)}</td>` +
      `<td>${escapeHtml(t.exitReason)}</td></tr>`
    );
  });
  return `<table class="trades"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

// toISOString formats the time it is given; it does not read the clock.
function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

const PLAIN_FORMATS = new Map<number, Intl.NumberFormat>();

/** Up to `decimals` decimals, trailing zeros dropped, never exponent notation nor thousands separators. */
function plain(n: number, decimals: number): string {
  // One formatter per precision: toLocaleString builds a new one on every call, some 15 us each.
  let format = PLAIN_FORMATS.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: decimals, useGrouping: false });
    PLAIN_FORMATS.set(decimals, format);
  }
  return format.format(n);
}
