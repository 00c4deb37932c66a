import type { CandleColumns } from '../market/candle-columns';
import type { ClosedTrade } from '../portfolio/types';
import type { EquityColumns } from './equity-curve';
import { planReportData, reportDataJson, type ReportDataPlan, type ReportEquityPoint } from './report-data';
import { chartLibraryScript } from './report-library';
import { REPORT_SCRIPT } from './report-script';
import { REPORT_CSS } from './report-style';
import { barsPerSymbol, MAX_REPORT_TRADES } from './report-thinning';
import { escapeHtml, metricsTable, tradesTable } from './report-tables';

export type { ReportEquityPoint } from './report-data';

export interface ReportInput {
  title: string;
  /** Per symbol, in time order. */
  candles: Record<string, CandleColumns>;
  trades: readonly ClosedTrade[];
  /** Times in ms; drawdown in percent of the peak, drawn below zero whichever its sign. */
  equity: EquityColumns | readonly ReportEquityPoint[];
  metrics: ReadonlyArray<readonly [label: string, value: string]>;
}

/**
 * The page forbids itself every network request, so a report opened from disk shows exactly what it
 * contains; the library's own attribution link only leaves the page when clicked.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/**
 * A backtest report as one self-contained HTML file: metrics, equity and drawdown, a candlestick chart per
 * symbol with the trades marked, and the trade list. Works offline: the chart library is inlined, the data
 * is embedded as JSON, nothing is fetched. Linear in the size of the input.
 */
export function renderReportHtml(input: ReportInput): string {
  return [...reportHtmlPieces(input)].join('');
}

/** The same page in pieces of at most some hundred KB, to be written one after the other. */
export function* reportHtmlPieces(input: ReportInput): Generator<string> {
  // The page lists and marks the first trades only on a run with very many (report-thinning.ts).
  const trades = input.trades.length > MAX_REPORT_TRADES ? input.trades.slice(0, MAX_REPORT_TRADES) : input.trades;
  const data = planReportData(input.candles, trades, input.equity);
  const symbols = data.symbols;
  const candleCount = symbols.reduce((n, s) => n + (input.candles[s]?.length ?? 0), 0);
  const title = escapeHtml(input.title);
  const subtitle = [symbols.map(escapeHtml).join(', '), `${candleCount} candles`, `${input.trades.length} trades`].filter(Boolean).join(' · ');
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${title}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${title}</h1><p>${subtitle}</p></header>
<p id="report-error" class="error" hidden></p>
<main>
<div class="top">
<section class="card"><h2>Metrics</h2>
${input.metrics.length > 0 ? metricsTable(input.metrics) : '<p class="empty">No metrics.</p>'}
</section>
<section class="card"><h2>Equity and drawdown</h2>
${data.equity.length > 0 ? '<div id="equity-chart" class="chart equity"></div>' : '<p class="empty">No equity points.</p>'}${equityNote(data)}
</section>
</div>
<section class="card" id="price-section">
<div class="bar"><h2>${priceHeading(symbols)}</h2>${symbolSelector(symbols)}<span class="legend"><span class="entry">&#9650;</span> entry &nbsp; <span class="exit">&#9660;</span> exit: reason, pnl %</span></div>
${symbols.length > 0 ? '<div id="price-chart" class="chart price"></div>' : '<p class="empty">No candles.</p>'}${barsNote(data)}
</section>
<section class="card"><h2>Trades (${input.trades.length})</h2>
${input.trades.length > 0 ? `<div id="trades" class="scroll">${tradesTable(trades)}</div>` : '<p class="empty">No closed trades.</p>'}${tradesNote(trades.length, input.trades.length)}
</section>
</main>
<script type="application/json" id="report-data">`;
  yield* reportDataJson(data);
  yield `</script>
<script>${chartLibraryScript()}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

/** Says so when the equity chart shows only some of the points (report-thinning.ts). */
function equityNote(data: ReportDataPlan): string {
  if (data.keptEquity.length === data.equity.length) return '';
  return (
    `\n<p class="note">Drawn from ${count(data.keptEquity.length)} of the ${count(data.equity.length)} equity points: the highest equity, ` +
    `the deepest drawdown and the last point of each stretch. equity.csv holds every point.</p>`
  );
}

/** Says so when the page lists and marks only the first trades. */
function tradesNote(shown: number, all: number): string {
  if (shown === all) return '';
  return `\n<p class="note">Listed and marked on the chart: the first ${count(shown)} of the ${count(all)} trades. trades.csv holds them all, and the metrics count them all.</p>`;
}

/** Says so when a symbol's chart merges candles into longer bars (report-thinning.ts). */
function barsNote(data: ReportDataPlan): string {
  const symbolsBy = new Map<number, string[]>();
  data.symbols.forEach((symbol, i) => {
    const periods = data.bars[i]?.periodsPerBar ?? 1;
    if (periods > 1) symbolsBy.set(periods, [...(symbolsBy.get(periods) ?? []), escapeHtml(symbol)]);
  });
  if (symbolsBy.size === 0) return '';
  const merged = [...symbolsBy].map(([periods, symbols]) => `one bar per ${count(periods)} candles for ${symbols.join(', ')}`);
  return `\n<p class="note">Too many candles to draw one by one (at most ${count(barsPerSymbol(data.symbols.length))} bars a symbol with ${data.symbols.length === 1 ? 'one symbol' : `${data.symbols.length} symbols`}): ${merged.join('; ')}. trades.csv and equity.csv are not thinned.</p>`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function priceHeading(symbols: readonly string[]): string {
  return symbols.length === 1 && symbols[0] !== undefined ? `Price: ${escapeHtml(symbols[0])}` : 'Price';
}

/** Only with several symbols; option values are indices into the embedded data's symbol list. */
function symbolSelector(symbols: readonly string[]): string {
  if (symbols.length < 2) return '';
  const options = symbols.map((s, i) => `<option value="${i}">${escapeHtml(s)}</option>`).join('');
  return `<select id="symbol" aria-label="symbol">${options}</select>`;
}
