import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { CandleColumns } from '../../../src/market/candle-columns';
import type { Candle } from '../../../src/market/types';
import type { ClosedTrade } from '../../../src/portfolio/types';
import { renderReportHtml, type ReportInput } from '../../../src/backtest/report-html';
import { jsonForScript, planReportData, reportDataJson, type ReportData, type ReportEquityPoint } from '../../../src/backtest/report-data';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const LIBRARY_FILE = path.join(
  path.dirname(require.resolve('lightweight-charts/package.json')),
  'dist',
  'lightweight-charts.standalone.production.js',
);
// Every URL in lightweight-charts 5.2: the licence comment, the SVG namespace and the attribution link.
const LIBRARY_URLS = [
  'https://www.apache.org/licenses/LICENSE-2.0',
  'http://www.w3.org/2000/svg',
  'https://www.tradingview.com/?utm_medium=lwc-link&utm_campaign=lwc-chart',
];

function candles(symbol: string, count: number, start = 100): CandleColumns {
  const rows = Array.from({ length: count }, (_, i): Candle => {
    const open = start + i;
    return { symbol, timeframe: '1m', time: T0 + i * MINUTE, open, high: open + 2.5, low: open - 1.25, close: open + 0.75, volume: 10 };
  });
  return CandleColumns.fromCandles(symbol, '1m', rows);
}

function trade(overrides: Partial<ClosedTrade> = {}): ClosedTrade {
  return {
    symbol: 'BTC/USDT',
    entryTime: T0 + 2 * MINUTE,
    exitTime: T0 + 5 * MINUTE,
    side: 'long',
    qty: 0.1 + 0.2,
    entryPrice: 102.5,
    exitPrice: 105.125,
    fees: 0.012345,
    pnl: 0.7755,
    pnlPct: 2.512345678,
    exitReason: 'take-profit',
    ...overrides,
  };
}

/** The report's input with the equity curve as points, as the tests write it. */
type PointsInput = ReportInput & { equity: ReportEquityPoint[] };

function input(overrides: Partial<PointsInput> = {}): PointsInput {
  return {
    title: 'rsi on BTC/USDT 1m',
    candles: { 'BTC/USDT': candles('BTC/USDT', 10), 'ETH/USDT': candles('ETH/USDT', 10, 2000) },
    trades: [trade(), trade({ symbol: 'ETH/USDT', entryPrice: 2001, exitPrice: 1990, pnl: -3.5, pnlPct: -0.55, exitReason: 'stop-loss' })],
    equity: Array.from({ length: 10 }, (_, i) => ({ time: T0 + i * MINUTE, equity: 10_000 + i * 1.5, drawdownPct: i % 3 === 0 ? 0 : 0.25 * i })),
    metrics: [
      ['total return', '+1.23 %'],
      ['max drawdown', '2.50 %'],
    ],
    ...overrides,
  };
}

interface ScriptBlock {
  attributes: string;
  body: string;
}

// The HTML parser ends a script at the first "</script", so this split is exactly how a browser reads the page.
function scriptBlocks(html: string): ScriptBlock[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({ attributes: m[1] ?? '', body: m[2] ?? '' }));
}

function withoutScripts(html: string): string {
  return html.replace(/<script([^>]*)>[\s\S]*?<\/script>/gi, '<script$1></script>');
}

function dataBlock(html: string): ReportData {
  const block = scriptBlocks(html).find((b) => b.attributes.includes('application/json'));
  if (!block) throw new Error('no data block');
  return JSON.parse(block.body) as ReportData;
}

function pageScript(html: string): string {
  const classic = scriptBlocks(html).filter((b) => !b.attributes.includes('application/json'));
  const last = classic[classic.length - 1];
  if (!last) throw new Error('no page script');
  return last.body;
}

function tableRows(html: string, tableClass: string): string[] {
  const table = html.match(new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`))?.[1] ?? '';
  const body = table.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? '');
}

function cells(row: string): string[] {
  return [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1] ?? '');
}

// ---- A fake DOM and chart library, just enough to run the page script and see what it asks the charts to draw.

interface FakeElement {
  id: string;
  textContent: string;
  hidden: boolean;
  value: string;
  listeners: Map<string, (event: unknown) => void>;
  addEventListener(type: string, listener: (event: unknown) => void): void;
  scrollIntoView(): void;
}

interface FakeSeries {
  type: string;
  pane: number;
  options: Record<string, unknown>;
  data: Array<{ time: number; value?: number; open?: number; close?: number }>;
}

interface FakeMarker {
  time: number;
  position: string;
  shape: string;
  text?: string;
}

interface FakeChart {
  container: FakeElement;
  series: FakeSeries[];
  ranges: Array<{ from: number; to: number }>;
}

function element(id: string, textContent = ''): FakeElement {
  const listeners = new Map<string, (event: unknown) => void>();
  return {
    id,
    textContent,
    hidden: id === 'report-error',
    value: '0',
    listeners,
    addEventListener: (type, listener) => listeners.set(type, listener),
    scrollIntoView: () => undefined,
  };
}

/** Runs the page script of `html` against fakes; the fake library enforces the real one's data rules. */
function runPage(html: string, options: { failCharts?: boolean } = {}) {
  const ids = ['report-error', 'equity-chart', 'price-chart', 'trades', 'symbol'].filter((id) => html.includes(`id="${id}"`));
  const elements = new Map(ids.map((id) => [id, element(id)]));
  elements.set('report-data', element('report-data', JSON.stringify(dataBlock(html))));
  const charts: FakeChart[] = [];
  const markerSets: FakeMarker[][] = [];
  const library = {
    CandlestickSeries: 'Candlestick',
    LineSeries: 'Line',
    AreaSeries: 'Area',
    createChart(container: FakeElement) {
      if (options.failCharts) throw new Error('no canvas here');
      const chart: FakeChart = { container, series: [], ranges: [] };
      charts.push(chart);
      return {
        addSeries(type: string, seriesOptions: Record<string, unknown> = {}, pane = 0) {
          const series: FakeSeries = { type, pane, options: { ...seriesOptions }, data: [] };
          chart.series.push(series);
          return {
            applyOptions: (more: Record<string, unknown>) => Object.assign(series.options, more),
            setData(data: FakeSeries['data']) {
              data.forEach((p, i) => {
                const before = data[i - 1];
                if (before && p.time <= before.time) throw new Error('data must be asc ordered by time');
              });
              series.data = data;
            },
            _fake: series,
          };
        },
        panes: () => [{ setStretchFactor: () => undefined }, { setStretchFactor: () => undefined }],
        timeScale: () => ({ fitContent: () => undefined, setVisibleLogicalRange: (r: { from: number; to: number }) => chart.ranges.push(r) }),
      };
    },
    createSeriesMarkers(series: { _fake: FakeSeries }, initial: FakeMarker[]) {
      const index = markerSets.push(initial) - 1;
      return {
        setMarkers(markers: FakeMarker[]) {
          const times = new Set(series._fake.data.map((p) => p.time));
          for (const m of markers) if (!times.has(m.time)) throw new Error(`marker at ${m.time} is on no bar`);
          markerSets[index] = markers;
        },
      };
    },
  };
  const window = { LightweightCharts: library };
  const document = { getElementById: (id: string) => elements.get(id) ?? null };
  vm.runInNewContext(pageScript(html), { window, document });
  return { elements, charts, markerSets };
}

describe('renderReportHtml', () => {
  it('inlines the lightweight-charts standalone build unchanged, in the page, before the page script', () => {
    const html = renderReportHtml(input());
    const library = fs.readFileSync(LIBRARY_FILE, 'utf8');
    const classic = scriptBlocks(html).filter((b) => !b.attributes.includes('application/json'));

    expect(classic).toHaveLength(2);
    expect(classic[0]?.body).toBe(library);
    expect(classic[0]?.body).toContain('createChart');
    expect(classic[0]?.body.length).toBeGreaterThan(100_000);
    expect(classic[1]?.body).toContain('LightweightCharts');
  });

  it('loads nothing from anywhere: no src, href, link, import or URL outside the inlined library', () => {
    const html = renderReportHtml(input());
    const page = withoutScripts(html);

    expect(page).not.toMatch(/\s(src|href|srcset|action|poster|data)\s*=/i);
    expect(page).not.toMatch(/<(link|iframe|img|object|embed|base)\b/i);
    expect(page).not.toMatch(/@import|url\(|https?:|\/\/[a-z]/i);
    expect(scriptBlocks(html).every((b) => !/\bsrc\s*=/i.test(b.attributes))).toBe(true);
    expect(html).not.toMatch(/fetch\(|XMLHttpRequest|import\(|importScripts|new Worker|sendBeacon|WebSocket|EventSource/);
  });

  it("contains only the chart library's own known URLs, none of which is loaded", () => {
    const urls = [...renderReportHtml(input()).matchAll(/https?:\/\/[^\s"'`)$]+/g)].map((m) => m[0]);

    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !LIBRARY_URLS.includes(url))).toEqual([]);
  });

  it('forbids itself every network request with a Content-Security-Policy', () => {
    const csp = renderReportHtml(input()).match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];

    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('embeds candles, trades and equity as rows of numbers that parse back to the input values', () => {
    const report = input();
    const data = dataBlock(renderReportHtml(report));

    expect(data.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    data.symbols.forEach((symbol, s) => {
      const back = (data.candles[s] ?? []).map(([t, open, high, low, close]) => ({ time: t * 1000, open, high, low, close }));
      expect(back).toEqual(report.candles[symbol]!.toArray().map(({ time, open, high, low, close }) => ({ time, open, high, low, close })));
    });
    expect(data.trades.map(([s, entry, exit, qty, entryPrice, exitPrice, fees, pnl, pnlPct, exitReason]) => ({
      symbol: data.symbols[s], entryTime: entry * 1000, exitTime: exit * 1000, side: 'long', qty, entryPrice, exitPrice, fees, pnl, pnlPct, exitReason,
    }))).toEqual(report.trades);
    expect(data.equity.map(([t, equity, drawdownPct]) => ({ time: t * 1000, equity, drawdownPct }))).toEqual(report.equity);
    expect(data.candles[0]?.[1]).toEqual([(T0 + MINUTE) / 1000, 101, 103.5, 99.75, 101.75]);
  });

  it('gives a traded symbol without candles its own index so its trades still point somewhere', () => {
    const data = dataBlock(renderReportHtml(input({ trades: [trade({ symbol: 'SOL/USDT' })] })));

    expect(data.symbols).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
    expect(data.candles[2]).toEqual([]);
    expect(data.trades[0]?.[0]).toBe(2);
  });

  it('keeps hostile text from closing the data block or becoming markup, and still embeds it verbatim', () => {
    const hostile = '</script><script>alert(1)</script><!--<script>';
    const reason = '<img src=x onerror="alert(2)"> & </SCRIPT>';
    const symbol = 'A&B<i>';
    const html = renderReportHtml(
      input({ title: hostile, candles: { [symbol]: candles(symbol, 5) }, trades: [trade({ symbol, exitReason: reason })], metrics: [['<b>x</b>', '"1" & 2']] }),
    );

    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(withoutScripts(html)).not.toMatch(/<(img|i|b)>|<img|<!--/i);
    expect(html).toContain('<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--&lt;script&gt;</h1>');
    expect(html).toContain(`<title>&lt;/script&gt;`);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &lt;/SCRIPT&gt;');
    expect(html).toContain('<th scope="row">&lt;b&gt;x&lt;/b&gt;</th><td>&quot;1&quot; &amp; 2</td>');
    expect(html).toContain('Price: A&amp;B&lt;i&gt;');
    const data = dataBlock(html);
    expect(data.symbols).toEqual([symbol]);
    expect(data.trades[0]?.[9]).toBe(reason);
  });

  it('renders one metrics row per metric, in order', () => {
    const html = renderReportHtml(input({ metrics: [['return', '+1.0 %'], ['sharpe', '1.42'], ['trades', '2']] }));

    expect(tableRows(html, 'metrics').map(cells)).toEqual([
      ['return', '+1.0 %'],
      ['sharpe', '1.42'],
      ['trades', '2'],
    ]);
  });

  it('renders one trade row per trade with ISO UTC times, plain numbers and the exit reason', () => {
    const html = renderReportHtml(input());
    const rows = tableRows(html, 'trades').map(cells);

    expect(rows).toEqual([
      ['1', 'BTC/USDT', '2024-01-01T00:02:00.000Z', '2024-01-01T00:05:00.000Z', '0.3', '102.5', '105.125', '0.0123', '0.7755', '2.51', 'take-profit'],
      ['2', 'ETH/USDT', '2024-01-01T00:02:00.000Z', '2024-01-01T00:05:00.000Z', '0.3', '2001', '1990', '0.0123', '-3.5', '-0.55', 'stop-loss'],
    ]);
    expect(html).toContain('<th>symbol</th><th>entry time (UTC)</th><th>exit time (UTC)</th><th>qty</th><th>entry</th><th>exit</th>');
    expect(html).toContain('<h2>Trades (2)</h2>');
  });

  it('offers a symbol selector only when there are several symbols', () => {
    const several = renderReportHtml(input());
    const one = renderReportHtml(input({ candles: { 'BTC/USDT': candles('BTC/USDT', 3) }, trades: [trade()] }));

    expect(several).toContain('<select id="symbol" aria-label="symbol"><option value="0">BTC/USDT</option><option value="1">ETH/USDT</option></select>');
    expect(one).not.toContain('<select');
    expect(one).toContain('<h2>Price: BTC/USDT</h2>');
  });

  it('says what is missing instead of drawing empty charts when there is no data', () => {
    const html = renderReportHtml({ title: 'empty', candles: {}, trades: [], equity: [], metrics: [] });

    expect(html).not.toMatch(/id="(price-chart|equity-chart|trades)"/);
    expect(html).toContain('No candles.');
    expect(html).toContain('No equity points.');
    expect(html).toContain('No closed trades.');
    expect(html).toContain('No metrics.');
    expect(dataBlock(html)).toEqual({ symbols: [], candles: [], periodsPerBar: [], trades: [], equity: [], equityPoints: 0 });
    expect(runPage(html).charts).toEqual([]);
  });

  it('has a page script that is valid JavaScript', () => {
    const code = pageScript(renderReportHtml(input()));

    expect(code.length).toBeGreaterThan(500);
    expect(() => new Function(code)).not.toThrow();
  });

  it("draws the first symbol's candles with entries below and exits above the bars the fills fall in", () => {
    const report = input({ trades: [trade({ entryTime: T0 + 2 * MINUTE + 15_000, exitTime: T0 + 5 * MINUTE + 59_999 })] });
    const { charts, markerSets, elements } = runPage(renderReportHtml(report));
    const price = charts.find((c) => c.container.id === 'price-chart');
    const candlesSeries = price?.series[0];

    expect(elements.get('report-error')?.hidden).toBe(true);
    expect(candlesSeries?.type).toBe('Candlestick');
    expect(candlesSeries?.data).toHaveLength(10);
    expect(candlesSeries?.data[3]).toEqual({ time: (T0 + 3 * MINUTE) / 1000, open: 103, high: 105.5, low: 101.75, close: 103.75 });
    expect(markerSets[0]).toEqual([
      { time: (T0 + 2 * MINUTE) / 1000, position: 'belowBar', shape: 'arrowUp', color: expect.any(String) },
      { time: (T0 + 5 * MINUTE) / 1000, position: 'aboveBar', shape: 'arrowDown', color: expect.any(String), text: 'take-profit +2.51 %' },
    ]);
  });

  it('draws equity as a line and drawdown below zero in a second pane of the same chart', () => {
    const report = input();
    const { charts } = runPage(renderReportHtml(report));
    const equityChart = charts.find((c) => c.container.id === 'equity-chart');

    expect(equityChart?.series.map((s) => [s.type, s.pane])).toEqual([
      ['Line', 0],
      ['Area', 1],
    ]);
    expect(equityChart?.series[0]?.data.map((p) => [p.time * 1000, p.value])).toEqual(report.equity.map((p) => [p.time, p.equity]));
    expect(equityChart?.series[1]?.data.map((p) => p.value)).toEqual(report.equity.map((p) => (p.drawdownPct === 0 ? -0 : -p.drawdownPct)));
  });

  it('switches the price chart and its markers to the symbol picked in the selector', () => {
    const { charts, markerSets, elements } = runPage(renderReportHtml(input()));
    const select = elements.get('symbol');
    if (!select) throw new Error('no selector');
    select.value = '1';
    select.listeners.get('change')?.({});
    const candlesSeries = charts.find((c) => c.container.id === 'price-chart')?.series[0];

    expect(candlesSeries?.data[0]?.open).toBe(2000);
    expect(markerSets[0]?.map((m) => m.text)).toEqual([undefined, 'stop-loss -0.55 %']);
  });

  it('shows a clicked trade on the price chart, switching to its symbol', () => {
    const { charts, elements } = runPage(renderReportHtml(input()));
    const row = { getAttribute: (name: string) => (name === 'data-trade' ? '1' : null) };
    elements.get('trades')?.listeners.get('click')?.({ target: { closest: () => row } });
    const price = charts.find((c) => c.container.id === 'price-chart');

    expect(elements.get('symbol')?.value).toBe('1');
    expect(price?.series[0]?.data[0]?.open).toBe(2000);
    expect(price?.ranges).toEqual([{ from: 2 - 20, to: 5 + 20 }]);
  });

  it('reports a chart that cannot be drawn on the page instead of failing silently', () => {
    const { elements } = runPage(renderReportHtml(input()), { failCharts: true });
    const box = elements.get('report-error');

    expect(box?.hidden).toBe(false);
    expect(box?.textContent).toContain('The equity chart could not be drawn: no canvas here');
    expect(box?.textContent).toContain('The price chart could not be drawn: no canvas here');
  });

  it('draws a series too long to draw candle by candle as bars of several candles, and says so', () => {
    const equity = Array.from({ length: 150_000 }, (_, i) => ({ time: T0 + i * MINUTE, equity: 10_000 + (i % 1000), drawdownPct: (i % 1000) / 100 }));
    const html = renderReportHtml(input({ candles: { 'BTC/USDT': candles('BTC/USDT', 250_001), 'ETH/USDT': candles('ETH/USDT', 10) }, equity }));
    const data = dataBlock(html);

    expect(data.periodsPerBar).toEqual([3, 1]);
    expect(data.candles[0]).toHaveLength(83_334);
    expect(data.candles[0]?.[1]).toEqual([(T0 + 3 * MINUTE) / 1000, 103, 107.5, 101.75, 105.75]);
    expect(data.candles[1]).toHaveLength(10);
    expect(data.equityPoints).toBe(150_000);
    expect(data.equity.length).toBeLessThanOrEqual(100_000);
    expect(html).toContain('<p class="note">Too many candles to draw one by one (at most 100,000 bars a symbol with 2 symbols): one bar per 3 candles for BTC/USDT.');
    expect(html).toContain(`<p class="note">Drawn from ${data.equity.length.toLocaleString('en-US')} of the 150,000 equity points`);
    expect(html).toContain('250011 candles');
  });

  it('lists and marks only the first 20,000 trades of a run with more, and says so', () => {
    const trades = Array.from({ length: 20_001 }, (_, i) => trade({ entryTime: T0 + (2 * i) * MINUTE, exitTime: T0 + (2 * i + 1) * MINUTE, pnl: i }));
    const html = renderReportHtml(input({ trades }));
    const data = dataBlock(html);

    expect(data.trades).toHaveLength(20_000);
    expect(data.trades[19_999]?.[7]).toBe(19_999);
    expect(html.match(/<tr data-trade="/g)).toHaveLength(20_000);
    expect(html).toContain('<h2>Trades (20001)</h2>');
    expect(html).toContain('<p class="note">Listed and marked on the chart: the first 20,000 of the 20,001 trades. trades.csv holds them all, and the metrics count them all.</p>');
  });

  it('adds no note when every candle and equity point is drawn', () => {
    expect(renderReportHtml(input())).not.toContain('class="note"');
  });

  it('embeds 100,000 candles in under 50 bytes each, with the library read from disk once', () => {
    const readFile = jest.spyOn(fs, 'readFileSync');
    renderReportHtml(input());
    const html = renderReportHtml(input({ candles: { 'BTC/USDT': candles('BTC/USDT', 100_000, 20_000) }, trades: [], equity: [] }));
    const libraryReads = readFile.mock.calls.filter(([file]) => file === LIBRARY_FILE).length;
    readFile.mockRestore();
    const json = scriptBlocks(html).find((b) => b.attributes.includes('application/json'))?.body ?? '';

    expect(dataBlock(html).candles[0]).toHaveLength(100_000);
    expect(json.length / 100_000).toBeLessThan(50);
    expect(libraryReads).toBeLessThanOrEqual(1);
  });
});

describe('the report data streamed in pieces', () => {
  it('is the very text JSON.stringify makes of the same rows, long runs and hostile text included', () => {
    const equity = Array.from({ length: 120_000 }, (_, i) => ({ time: T0 + i * MINUTE, equity: 10_000 + Math.sin(i / 300) * 500 + 1 / 3, drawdownPct: (i % 997) / 7 }));
    const trades = Array.from({ length: 9000 }, (_, i) => trade({ exitReason: i === 3 ? '</script><!--' : 'signal', pnl: i % 2 === 0 ? 1 / 3 : -2 / 7 }));
    const input = { 'BTC/USDT': candles('BTC/USDT', 130_000), '<b>ETH</b>': candles('<b>ETH</b>', 10, 2000) };
    const plan = planReportData(input, trades, equity);
    const pieces = [...reportDataJson(plan)];
    expect(pieces.length).toBeGreaterThan(10);
    const expected = jsonForScript({
      symbols: plan.symbols,
      candles: plan.bars.map((b) => b.rows),
      periodsPerBar: plan.bars.map((b) => b.periodsPerBar),
      trades: trades.map((t) => [plan.symbols.indexOf(t.symbol), t.entryTime / 1000, t.exitTime / 1000, t.qty, t.entryPrice, t.exitPrice, t.fees, t.pnl, t.pnlPct, t.exitReason]),
      equity: plan.keptEquity.map((i) => [equity[i]!.time / 1000, equity[i]!.equity, equity[i]!.drawdownPct]),
      equityPoints: equity.length,
    });
    expect(pieces.join('')).toBe(expected);
    expect(plan.bars[0]!.periodsPerBar).toBe(2);
    expect(plan.keptEquity.length).toBeLessThanOrEqual(100_000);
  });
});
