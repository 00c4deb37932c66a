/**
 * The report page's own script, inlined after the chart library. It reads the data block (see
 * report-data.ts for the row layouts), draws the price chart of the selected symbol with its trades, and the
 * equity and drawdown panes. Plain browser JavaScript kept in a string: it never runs in Node, and the tests
 * compile it and run it against a fake DOM and chart library.
 */
export const REPORT_SCRIPT = `
(() => {
  'use strict';
  const UP = '#089981';
  const DOWN = '#f23645';
  const ENTRY = '#2962ff';
  const LWC = window.LightweightCharts;
  const data = JSON.parse(document.getElementById('report-data').textContent);

  // One chart failing (bad data, an old browser) should not take the rest of the report with it.
  const guard = (what, draw) => {
    try {
      return draw();
    } catch (error) {
      const box = document.getElementById('report-error');
      box.textContent = (box.textContent ? box.textContent + ' ' : '') + what + ' could not be drawn: ' + (error && error.message ? error.message : String(error));
      box.hidden = false;
      return undefined;
    }
  };

  // With autoSize the chart learns its width a frame later, and a fit done before then shows only the last
  // bars; fit again once it has been laid out.
  const fitWhenSized = (chart) => {
    chart.timeScale().fitContent();
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => chart.timeScale().fitContent());
  };

  const chartOptions = () => ({
    autoSize: true,
    layout: { textColor: '#1f2328', fontSize: 12 },
    grid: { vertLines: { color: '#eef0f3' }, horzLines: { color: '#eef0f3' } },
    // The default minimum of half a pixel per bar would stop "fit" from showing a long backtest whole.
    timeScale: { timeVisible: true, secondsVisible: false, minBarSpacing: 0.001 },
  });

  // The library throws on times that do not strictly increase; a repeated time keeps its last point.
  const ascending = (points) => {
    const out = [];
    for (const p of points) {
      const last = out[out.length - 1];
      if (last === undefined || p.time > last.time) out.push(p);
      else if (p.time === last.time) out[out.length - 1] = p;
    }
    return out;
  };

  // Markers must sit on a bar's time: a fill lands in the last bar opening at or before it.
  const barIndex = (bars, time) => {
    let lo = 0;
    let hi = bars.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bars[mid].time <= time) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  // About five significant digits, so that a coin priced 0.00001234 is not drawn as a flat 0.00.
  const priceFormat = (bars) => {
    const close = bars.length > 0 ? Math.abs(bars[bars.length - 1].close) : 0;
    const decimals = close > 0 ? Math.min(8, Math.max(2, Math.ceil(-Math.log10(close)) + 4)) : 2;
    return { type: 'price', precision: decimals, minMove: Math.pow(10, -decimals) };
  };

  const percent = (value) => (typeof value === 'number' ? (value > 0 ? '+' : '') + value.toFixed(2) + ' %' : '?');

  const tradeMarkers = (symbolIndex, bars) => {
    const markers = [];
    if (bars.length === 0) return markers;
    for (const t of data.trades) {
      if (t[0] !== symbolIndex) continue;
      markers.push({ time: bars[barIndex(bars, t[1])].time, position: 'belowBar', shape: 'arrowUp', color: ENTRY });
      markers.push({
        time: bars[barIndex(bars, t[2])].time,
        position: 'aboveBar',
        shape: 'arrowDown',
        color: t[8] >= 0 ? UP : DOWN,
        text: t[9] + ' ' + percent(t[8]),
      });
    }
    return markers.sort((a, b) => a.time - b.time);
  };

  const drawPrices = (box) => {
    const chart = LWC.createChart(box, chartOptions());
    const series = chart.addSeries(LWC.CandlestickSeries, {
      upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false,
    });
    const markers = LWC.createSeriesMarkers(series, []);
    let bars = [];
    const show = (symbolIndex) => {
      const rows = data.candles[symbolIndex] || [];
      bars = ascending(rows.map((r) => ({ time: r[0], open: r[1], high: r[2], low: r[3], close: r[4] })));
      series.applyOptions({ priceFormat: priceFormat(bars) });
      series.setData(bars);
      markers.setMarkers(tradeMarkers(symbolIndex, bars));
      fitWhenSized(chart);
    };
    const focus = (trade) => {
      if (bars.length === 0) return;
      const from = barIndex(bars, trade[1]);
      const to = barIndex(bars, trade[2]);
      const pad = Math.max(20, Math.round((to - from) / 2));
      chart.timeScale().setVisibleLogicalRange({ from: from - pad, to: to + pad });
    };
    return { show, focus };
  };

  const drawEquity = (box) => {
    const chart = LWC.createChart(box, chartOptions());
    const equity = chart.addSeries(LWC.LineSeries, { color: ENTRY, lineWidth: 2, title: 'equity' }, 0);
    const drawdown = chart.addSeries(LWC.AreaSeries, {
      lineColor: DOWN, lineWidth: 1, topColor: 'rgba(242, 54, 69, 0.05)', bottomColor: 'rgba(242, 54, 69, 0.35)',
      invertFilledArea: true, title: 'drawdown',
      priceFormat: { type: 'custom', minMove: 0.01, formatter: (v) => v.toFixed(2) + ' %' },
    }, 1);
    equity.setData(ascending(data.equity.map((p) => ({ time: p[0], value: p[1] }))));
    // Drawn below zero whichever sign the figures were given in, so that a fall reads as a fall.
    drawdown.setData(ascending(data.equity.map((p) => ({ time: p[0], value: -Math.abs(p[2]) }))));
    const panes = chart.panes();
    panes[0].setStretchFactor(2);
    if (panes[1]) panes[1].setStretchFactor(1);
    fitWhenSized(chart);
  };

  const equityBox = document.getElementById('equity-chart');
  if (equityBox) guard('The equity chart', () => drawEquity(equityBox));

  const priceBox = document.getElementById('price-chart');
  const prices = priceBox ? guard('The price chart', () => drawPrices(priceBox)) : undefined;
  if (!prices) return;
  const select = document.getElementById('symbol');
  const show = (symbolIndex) => guard('The price chart', () => prices.show(symbolIndex));
  show(0);
  if (select) select.addEventListener('change', () => show(Number(select.value)));

  // A click on a trade row shows that trade on the price chart.
  const tradeList = document.getElementById('trades');
  if (tradeList) {
    tradeList.addEventListener('click', (event) => {
      const row = event.target && event.target.closest ? event.target.closest('tr[data-trade]') : null;
      const trade = row ? data.trades[Number(row.getAttribute('data-trade'))] : undefined;
      if (!trade || trade[0] < 0) return;
      if (select && select.value !== String(trade[0])) {
        select.value = String(trade[0]);
        show(trade[0]);
      }
      guard('The price chart', () => prices.focus(trade));
      priceBox.scrollIntoView({ block: 'center' });
    });
  }
})();
`;
