/*
 * The dashboard's script: plain browser JavaScript (ES2020), no framework, served as a file of its own
 * (the page's CSP allows no inline script). It talks to the API only through the routes and the live
 * WebSocket of src/api/bot-control.ts: REST for the state at login and after a reconnect, LiveEvents for
 * what changes, and a poll of the status and the orders every few seconds in case an event was missed.
 * Every text taken from the bot goes in through textContent, never as HTML.
 */
(() => {
  'use strict';

  const TOKEN_KEY = 'agent-trader.token';
  const POLL_MS = 3000;
  const LOG_LINES = 200;
  const ALERTS_KEPT = 100;
  const TRADES_KEPT = 50;
  const CANDLES = 300;
  const UP = '#089981';
  const DOWN = '#f23645';
  const ENTRY = '#2962ff';

  const $ = (id) => document.getElementById(id);

  // ---- formatting -------------------------------------------------------------------------------------

  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
  const money = (v) => (isNum(v) ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '?');
  const signedMoney = (v) => (isNum(v) ? (v > 0 ? '+' : '') + money(v) : '?');
  const percent = (v) => (isNum(v) ? (v > 0 ? '+' : '') + v.toFixed(2) + ' %' : '?');
  // About five significant digits, so that a coin priced 0.00001234 does not read as 0.00.
  const decimalsFor = (v) => (isNum(v) && v !== 0 ? Math.min(8, Math.max(2, Math.ceil(-Math.log10(Math.abs(v))) + 4)) : 2);
  const price = (v) => (isNum(v) ? v.toFixed(decimalsFor(v)) : '?');
  const qty = (v) => (isNum(v) ? String(Number(v.toFixed(8))) : '?');
  const time = (ms) => (isNum(ms) ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '');
  const clock = (ms) => (isNum(ms) ? new Date(ms).toISOString().slice(11, 19) : '');
  const duration = (seconds) => {
    if (!isNum(seconds)) return '?';
    const s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, '0');
    return (d > 0 ? d + 'd ' : '') + (d > 0 || h > 0 ? h + 'h ' : '') + pad(m) + 'm ' + pad(s % 60) + 's';
  };
  const pnlClass = (v) => (isNum(v) && v > 0 ? 'win' : isNum(v) && v < 0 ? 'loss' : '');

  // A table cell or any element with its text, set as text: data never becomes markup.
  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  };
  const row = (cells) => {
    const tr = document.createElement('tr');
    for (const cell of cells) tr.appendChild(cell instanceof Node ? cell : el('td', cell));
    return tr;
  };
  const num = (text, className) => el('td', text, 'num' + (className ? ' ' + className : ''));
  const setText = (id, text, className) => {
    const node = $(id);
    node.textContent = text;
    if (className !== undefined) node.className = className;
  };
  const fill = (tableId, emptyId, rows) => {
    const body = $(tableId).tBodies[0];
    body.replaceChildren(...rows);
    $(emptyId).hidden = rows.length > 0;
  };

  // ---- toast --------------------------------------------------------------------------------------------

  let toastTimer;
  const toast = (text, isError) => {
    const box = $('toast');
    box.textContent = text;
    box.className = 'toast' + (isError ? ' error' : '');
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      box.hidden = true;
    }, isError ? 8000 : 5000);
  };

  // ---- the API ------------------------------------------------------------------------------------------

  class Unauthorized extends Error {}

  let token = sessionStorage.getItem(TOKEN_KEY) || '';

  const api = async (path, body) => {
    const init = { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' };
    if (body !== undefined) {
      init.method = 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let answer;
    try {
      answer = await response.json();
    } catch (error) {
      answer = undefined;
    }
    if (response.status === 401) throw new Unauthorized((answer && answer.error) || 'unauthorized');
    if (!response.ok) throw new Error((answer && answer.error) || 'HTTP ' + response.status + ' on ' + path);
    return answer;
  };

  // A 401 anywhere means the token is no good (any more): back to the login form. Once logged out, what
  // was still in flight fails too (its token is gone) and has nothing more to say.
  const failed = (error, what) => {
    if (!running) return;
    if (error instanceof Unauthorized) {
      logout('The bot refused the token.');
      return;
    }
    toast((what ? what + ': ' : '') + (error && error.message ? error.message : String(error)), true);
  };

  // ---- state --------------------------------------------------------------------------------------------

  const state = {
    status: undefined,
    statusAt: 0,
    portfolio: undefined,
    positions: [],
    orders: [],
    trades: [],
    equity: [],
    strategies: [],
    fills: [],
    symbol: '',
    lastCandle: undefined,
  };
  let running = false;
  let loads = 0;

  // ---- charts -------------------------------------------------------------------------------------------

  const LWC = window.LightweightCharts;
  const seconds = (ms) => Math.floor(ms / 1000);
  // The library's attribution logo brings a <style> element of its own, which the CSP refuses; the page
  // gives the attribution in its footer instead, as the library's licence asks.
  const chartOptions = () => ({
    autoSize: true,
    layout: { textColor: '#1f2328', fontSize: 12, attributionLogo: false },
    grid: { vertLines: { color: '#eef0f3' }, horzLines: { color: '#eef0f3' } },
    timeScale: { timeVisible: true, secondsVisible: false },
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

  // With autoSize the chart learns its width a frame later, and a fit done before then shows only the last
  // bars; fit again once it has been laid out.
  const fitWhenSized = (chart) => {
    chart.timeScale().fitContent();
    requestAnimationFrame(() => chart.timeScale().fitContent());
  };

  let charts;
  const makeCharts = () => {
    if (charts || !LWC) return charts;
    const equityChart = LWC.createChart($('equity-chart'), chartOptions());
    const equityLine = equityChart.addSeries(LWC.LineSeries, { color: ENTRY, lineWidth: 2, title: 'equity' }, 0);
    const drawdown = equityChart.addSeries(
      LWC.AreaSeries,
      {
        lineColor: DOWN, lineWidth: 1, topColor: 'rgba(242, 54, 69, 0.05)', bottomColor: 'rgba(242, 54, 69, 0.35)',
        invertFilledArea: true, title: 'drawdown',
        priceFormat: { type: 'custom', minMove: 0.01, formatter: (v) => v.toFixed(2) + ' %' },
      },
      1,
    );
    const panes = equityChart.panes();
    panes[0].setStretchFactor(2);
    if (panes[1]) panes[1].setStretchFactor(1);
    const priceChart = LWC.createChart($('price-chart'), chartOptions());
    const candles = priceChart.addSeries(LWC.CandlestickSeries, { upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false });
    const markers = LWC.createSeriesMarkers(candles, []);
    charts = { equityChart, equityLine, drawdown, priceChart, candles, markers, bars: [], peak: 0, lastEquityTime: -Infinity };
    return charts;
  };

  const guard = (what, draw) => {
    try {
      return draw();
    } catch (error) {
      toast(what + ' could not be drawn: ' + (error && error.message ? error.message : String(error)), true);
      return undefined;
    }
  };

  const drawEquity = () => guard('The equity chart', () => {
    const c = makeCharts();
    if (!c) return;
    const points = ascending(state.equity.map((p) => ({ time: seconds(p.time), value: p.equity })));
    let peak = 0;
    const dd = points.map((p) => {
      peak = Math.max(peak, p.value);
      return { time: p.time, value: peak > 0 ? -((peak - p.value) / peak) * 100 : 0 };
    });
    c.peak = peak;
    c.lastEquityTime = points.length > 0 ? points[points.length - 1].time : -Infinity;
    c.equityLine.setData(points);
    c.drawdown.setData(dd);
    fitWhenSized(c.equityChart);
  });

  const addEquityPoint = (point) => guard('The equity chart', () => {
    const c = makeCharts();
    if (!c) return;
    const t = seconds(point.time);
    if (t < c.lastEquityTime) return;
    c.lastEquityTime = t;
    c.peak = Math.max(c.peak, point.equity);
    c.equityLine.update({ time: t, value: point.equity });
    c.drawdown.update({ time: t, value: c.peak > 0 ? -((c.peak - point.equity) / c.peak) * 100 : 0 });
  });

  // Markers must sit on a bar's time: a fill lands in the last bar opening at or before it.
  const barTime = (bars, ms) => {
    const t = seconds(ms);
    let lo = 0;
    let hi = bars.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bars[mid].time <= t) lo = mid;
      else hi = mid - 1;
    }
    return bars[lo].time;
  };

  const entryMarker = (bars, ms, text) => ({ time: barTime(bars, ms), position: 'belowBar', shape: 'arrowUp', color: ENTRY, text });
  const exitMarker = (bars, ms, good, text) => ({ time: barTime(bars, ms), position: 'aboveBar', shape: 'arrowDown', color: good ? UP : DOWN, text });

  // Entries and exits of the closed trades, the open position's entry, and the fills seen live that neither
  // of those accounts for yet.
  const drawMarkers = () => guard('The candle chart', () => {
    const c = makeCharts();
    if (!c) return;
    const bars = c.bars;
    const markers = [];
    if (bars.length > 0) {
      const known = new Set();
      for (const t of state.trades) {
        if (t.symbol !== state.symbol) continue;
        markers.push(entryMarker(bars, t.entryTime));
        markers.push(exitMarker(bars, t.exitTime, t.pnl >= 0, t.exitReason + ' ' + percent(t.pnlPct)));
        known.add(t.entryTime);
        known.add(t.exitTime);
      }
      for (const p of state.positions) {
        if (p.symbol !== state.symbol) continue;
        markers.push(entryMarker(bars, p.entryTime, 'open'));
        known.add(p.entryTime);
      }
      for (const f of state.fills) {
        if (f.symbol !== state.symbol || known.has(f.time)) continue;
        markers.push(f.side === 'buy' ? entryMarker(bars, f.time, 'buy') : exitMarker(bars, f.time, true, f.reason));
      }
    }
    markers.sort((a, b) => a.time - b.time);
    c.markers.setMarkers(markers);
  });

  const toBar = (k) => ({ time: seconds(k.time), open: k.open, high: k.high, low: k.low, close: k.close });

  const loadCandles = async () => {
    const symbol = state.symbol;
    if (!symbol) return;
    const rows = await api('/api/candles?symbol=' + encodeURIComponent(symbol) + '&limit=' + CANDLES);
    if (symbol !== state.symbol) return;
    guard('The candle chart', () => {
      const c = makeCharts();
      if (!c) return;
      c.bars = ascending(rows.map(toBar));
      const last = c.bars[c.bars.length - 1];
      const decimals = last ? decimalsFor(last.close) : 2;
      c.candles.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove: Math.pow(10, -decimals) } });
      c.candles.setData(c.bars);
      fitWhenSized(c.priceChart);
    });
    drawMarkers();
  };

  const addCandle = (candle) => guard('The candle chart', () => {
    const c = makeCharts();
    if (!c || candle.symbol !== state.symbol) return;
    const bar = toBar(candle);
    const last = c.bars[c.bars.length - 1];
    if (last && bar.time < last.time) return;
    if (last && bar.time === last.time) c.bars[c.bars.length - 1] = bar;
    else c.bars.push(bar);
    if (c.bars.length > CANDLES * 2) c.bars.splice(0, c.bars.length - CANDLES);
    c.candles.update(bar);
  });

  // ---- rendering ----------------------------------------------------------------------------------------

  const renderStatus = () => {
    const s = state.status;
    if (!s) return;
    setText('mode', s.mode, 'badge' + (s.mode === 'live' ? ' live' : ''));
    const risk = s.risk || {};
    setText('risk-state', risk.state || '?', risk.state === 'active' ? 'ok' : risk.state === 'reducing' ? 'warn' : 'bad');
    $('risk-reason').textContent = [risk.protection, risk.reason].filter(Boolean).join(': ');
    setText('entries', s.entriesPaused ? 'paused' : 'open', s.entriesPaused ? 'warn' : 'ok');
    $('pause').disabled = !!s.entriesPaused;
    $('resume').disabled = !s.entriesPaused;
    const safe = $('safe-mode');
    safe.hidden = !s.safeMode;
    safe.textContent = s.safeMode ? 'SAFE MODE: ' + s.safeMode.agent + ': ' + s.safeMode.reason : '';
    const stale = (s.data && s.data.stale) || [];
    $('data-stale').textContent = stale.length > 0 ? 'stale: ' + stale.join(', ') : '';
    renderTicking();
    renderSymbols();
    renderAgents();
  };

  // What moves with the clock between two status answers: uptime and the age of the last candle.
  const renderTicking = () => {
    const s = state.status;
    if (!s) return;
    const since = (Date.now() - state.statusAt) / 1000;
    $('uptime').textContent = duration(s.uptimeS + since);
    const data = s.data || {};
    const tf = data.timeframe ? data.timeframe + ', ' : '';
    if (isNum(data.ageMs)) {
      const age = data.ageMs / 1000 + since;
      const stale = (data.stale || []).length > 0;
      setText('data-freshness', tf + 'last candle ' + duration(age) + ' ago', stale ? 'bad' : 'ok');
    } else setText('data-freshness', tf + 'no candle yet', 'warn');
  };

  const renderSymbols = () => {
    const symbols = (state.status && state.status.data && state.status.data.symbols) || [];
    const select = $('symbol');
    const have = [...select.options].map((o) => o.value);
    if (have.join('\n') === symbols.join('\n')) return;
    select.replaceChildren(...symbols.map((s) => {
      const option = el('option', s);
      option.value = s;
      return option;
    }));
    // At login loadAll fetches the candles once the trades are in; later, a symbol gone from the list.
    if (!symbols.includes(state.symbol)) {
      const first = state.symbol === '';
      state.symbol = symbols[0] || '';
      if (!first) loadCandles().catch((e) => failed(e, 'Candles'));
    }
    select.value = state.symbol;
  };

  const renderAgents = () => {
    const agents = (state.status && state.status.agents) || [];
    $('agents').tBodies[0].replaceChildren(...agents.map((a) => {
      const restart = el('button', 'Restart', 'small');
      restart.type = 'button';
      restart.dataset.agent = a.name;
      restart.dataset.action = 'restart';
      const tr = row([
        a.name,
        el('td', a.state, 'state-' + a.state),
        time(a.since),
        num(a.restarts),
        num((a.messagesIn ?? '?') + ' / ' + (a.messagesOut ?? '?')),
        el('td', a.lastError || '', 'err'),
        cellWith(restart),
      ]);
      tr.dataset.agent = a.name;
      return tr;
    }));
    const names = state.strategies.length > 0 ? state.strategies.map((s) => s.name + ' (' + s.symbols.join(', ') + ' ' + s.timeframe + ')') : (state.status && state.status.strategies) || [];
    $('strategies').textContent = names.length > 0 ? 'Strategies: ' + names.join('; ') : 'No strategy.';
  };

  const cellWith = (child) => {
    const td = document.createElement('td');
    td.appendChild(child);
    return td;
  };

  const renderPortfolio = () => {
    const p = state.portfolio;
    const positionsValue = state.positions.reduce((sum, x) => sum + x.qty * x.lastPrice, 0);
    const unrealized = state.positions.reduce((sum, x) => sum + x.unrealizedPnl, 0);
    const equity = p ? p.cash + positionsValue : undefined;
    setText('equity', money(equity));
    setText('cash', money(p && p.cash));
    setText('positions-value', money(positionsValue));
    setText('unrealized', signedMoney(unrealized), pnlClass(unrealized));
    setText('realized', signedMoney(p && p.realizedPnl), pnlClass(p && p.realizedPnl));
    setText('fees', money(p && p.feesPaid));
  };

  const renderPositions = () => {
    fill('positions', 'positions-empty', state.positions.map((p) => {
      const exit = el('button', 'Exit', 'small danger');
      exit.type = 'button';
      exit.dataset.action = 'exit';
      exit.dataset.symbol = p.symbol;
      const cost = p.qty * p.avgEntry;
      const tr = row([
        p.symbol,
        num(qty(p.qty)),
        num(price(p.avgEntry)),
        num(price(p.lastPrice)),
        num(money(p.qty * p.lastPrice)),
        num(signedMoney(p.unrealizedPnl), pnlClass(p.unrealizedPnl)),
        num(percent(cost > 0 ? (p.unrealizedPnl / cost) * 100 : undefined), pnlClass(p.unrealizedPnl)),
        time(p.entryTime),
        cellWith(exit),
      ]);
      tr.dataset.symbol = p.symbol;
      return tr;
    }));
    renderPortfolio();
  };

  const renderOrders = () => {
    fill('orders', 'orders-empty', state.orders.map((o) => row([
      o.clientOrderId,
      o.symbol,
      o.side,
      o.type,
      num(isNum(o.qty) ? qty(o.qty) : isNum(o.quoteAmount) ? money(o.quoteAmount) + ' quote' : '?'),
      num(isNum(o.limitPrice) ? price(o.limitPrice) : ''),
      o.reason,
      o.origin,
      time(o.createdAt),
    ])));
  };

  const renderTrades = () => {
    fill('trades', 'trades-empty', state.trades.map((t) => row([
      time(t.exitTime),
      t.symbol,
      num(qty(t.qty)),
      num(price(t.entryPrice)),
      num(price(t.exitPrice)),
      num(signedMoney(t.pnl), pnlClass(t.pnl)),
      num(percent(t.pnlPct), pnlClass(t.pnl)),
      t.exitReason,
      t.strategy || '',
    ])));
  };

  const feedLine = (listId, cap, at, level, text, newestFirst) => {
    const list = $(listId);
    const stick = !newestFirst && list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    const li = el('li', undefined, level ? 'level-' + level : '');
    li.appendChild(el('span', clock(at), 'time'));
    li.appendChild(document.createTextNode(text));
    if (newestFirst) list.prepend(li);
    else list.append(li);
    while (list.children.length > cap) (newestFirst ? list.lastElementChild : list.firstElementChild).remove();
    if (stick) list.scrollTop = list.scrollHeight;
  };
  const logLine = (at, level, text) => feedLine('log', LOG_LINES, at, level, text, false);
  const alertLine = (a) => {
    feedLine('alerts', ALERTS_KEPT, a.time, a.level, '[' + a.level + '] ' + a.title + ': ' + a.message + (a.suppressed ? ' (+' + a.suppressed + ' held back)' : ''), true);
    $('alerts-empty').hidden = true;
  };

  // ---- loading ------------------------------------------------------------------------------------------

  const setStatus = (status) => {
    state.status = status;
    state.statusAt = Date.now();
    renderStatus();
  };

  const loadStatus = async () => setStatus(await api('/api/status'));
  const loadOrders = async () => {
    state.orders = await api('/api/orders');
    renderOrders();
  };
  const loadPortfolio = async () => {
    const [portfolio, positions] = await Promise.all([api('/api/portfolio'), api('/api/positions')]);
    state.portfolio = portfolio;
    state.positions = positions;
    renderPositions();
    drawMarkers();
  };
  const loadTrades = async () => {
    state.trades = await api('/api/trades?limit=' + TRADES_KEPT);
    renderTrades();
    drawMarkers();
  };

  // Everything, at login and whenever the live feed (re)connects, since events may have been missed.
  const loadEquity = async () => {
    state.equity = await api('/api/equity?maxPoints=2000');
    drawEquity();
  };
  const loadStrategies = async () => {
    state.strategies = await api('/api/strategies');
    renderAgents();
  };

  // Everything, at login and whenever the live feed (re)connects, since events may have been missed. Each
  // part on its own: one route failing leaves the others shown.
  const loadAll = async () => {
    const parts = [
      ['Status', loadStatus], ['Strategies', loadStrategies], ['Equity', loadEquity], ['Portfolio', loadPortfolio],
      ['Orders', loadOrders], ['Trades', loadTrades],
    ];
    await Promise.all(parts.map(([what, load]) => load().catch((e) => failed(e, what))));
    // The trades and positions are in: their markers can go on the candles.
    await loadCandles().catch((e) => failed(e, 'Candles'));
    // How many full loads have completed: for a test (or an operator's devtools) to know the page caught up.
    loads += 1;
    $('app').dataset.loads = String(loads);
  };

  // After a fill the books moved: ask for them again, once for a burst of fills.
  let refreshTimer;
  const refreshBooksSoon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      Promise.all([loadPortfolio(), loadOrders()]).catch((e) => failed(e));
    }, 250);
  };

  // ---- live events --------------------------------------------------------------------------------------

  const onEvent = (event) => {
    const d = event.data;
    switch (event.type) {
      case 'fill':
        state.fills.push(d);
        if (state.fills.length > 500) state.fills.shift();
        state.orders = state.orders.filter((o) => o.clientOrderId !== d.clientOrderId);
        renderOrders();
        logLine(d.time, 'info', 'fill: ' + d.side + ' ' + qty(d.qty) + ' ' + d.symbol + ' at ' + price(d.price) + ' (' + d.reason + ')');
        drawMarkers();
        refreshBooksSoon();
        break;
      case 'order':
        if (d.event === 'submitted') {
          if (!state.orders.some((o) => o.clientOrderId === d.order.clientOrderId)) state.orders.push(d.order);
        } else state.orders = state.orders.filter((o) => o.clientOrderId !== d.order.clientOrderId);
        renderOrders();
        if (d.event !== 'submitted') logLine(Date.now(), d.event === 'denied' ? 'warn' : 'info', 'order ' + d.order.clientOrderId + ' ' + d.event + (d.detail ? ': ' + d.detail : ''));
        break;
      case 'equity':
        state.equity.push(d);
        if (state.equity.length > 5000) state.equity.shift();
        setText('equity', money(d.equity));
        addEquityPoint(d);
        break;
      case 'positions':
        state.positions = d;
        renderPositions();
        drawMarkers();
        break;
      case 'trade':
        state.trades.unshift(d);
        if (state.trades.length > TRADES_KEPT) state.trades.length = TRADES_KEPT;
        renderTrades();
        drawMarkers();
        break;
      case 'candle':
        addCandle(d);
        // Mark the position at the new close, as the books will.
        for (const p of state.positions) {
          if (p.symbol !== d.symbol) continue;
          p.lastPrice = d.close;
          p.unrealizedPnl = (d.close - p.avgEntry) * p.qty;
          renderPositions();
        }
        break;
      case 'agent': {
        const agents = (state.status && state.status.agents) || [];
        const agent = agents.find((a) => a.name === d.agent);
        if (agent) {
          agent.state = d.to;
          agent.since = Date.now();
          if (d.error) agent.lastError = d.error;
        } else if (state.status) agents.push({ name: d.agent, state: d.to, since: Date.now(), lastError: d.error, messagesIn: 0, messagesOut: 0, restarts: 0 });
        renderAgents();
        logLine(Date.now(), d.to === 'faulted' ? 'error' : 'info', 'agent ' + d.agent + ': ' + d.from + ' -> ' + d.to + (d.error ? ' (' + d.error + ')' : ''));
        break;
      }
      case 'risk':
        if (state.status) state.status.risk = d;
        renderStatus();
        logLine(Date.now(), d.state === 'active' ? 'info' : 'warn', 'risk: ' + d.state + (d.protection ? ' (' + d.protection + (d.reason ? ': ' + d.reason : '') + ')' : ''));
        break;
      case 'alert':
        alertLine(d);
        break;
      case 'control':
        if (state.status && d.action === 'pause-entries') state.status.entriesPaused = true;
        if (state.status && d.action === 'resume-entries') state.status.entriesPaused = false;
        renderStatus();
        logLine(Date.now(), 'info', 'control ' + d.action + ' by ' + d.by + ': ' + d.detail);
        break;
      case 'log':
        logLine(d.time, d.level, (d.agent ? d.agent + ': ' : '') + d.message);
        break;
      default:
        break;
    }
  };

  let socket;
  let retries = 0;
  let reconnectTimer;
  const setConnection = (text, className) => setText('connection', text, className);

  const connect = () => {
    clearTimeout(reconnectTimer);
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/live';
    const ws = new WebSocket(url);
    socket = ws;
    setConnection(retries > 0 ? 'reconnecting' : 'connecting', 'warn');
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', token }));
      setConnection('connected', 'ok');
      // What happened while the socket was down only the REST routes know.
      if (retries > 0) loadAll().catch((e) => failed(e));
      retries = 0;
    };
    ws.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (event && typeof event.type === 'string') guard('A live ' + event.type + ' event', () => onEvent(event));
    };
    ws.onclose = (close) => {
      if (socket !== ws) return;
      socket = undefined;
      if (!running) return;
      if (close.code === 4401) {
        logout('The live feed refused the token.');
        return;
      }
      retries += 1;
      const wait = Math.min(15000, 500 * Math.pow(2, Math.min(retries, 5)));
      setConnection('down, retrying in ' + Math.round(wait / 1000) + ' s', 'bad');
      reconnectTimer = setTimeout(connect, wait);
    };
  };

  // ---- controls -----------------------------------------------------------------------------------------

  const control = async (path, body, button) => {
    if (button) button.disabled = true;
    try {
      const answer = await api('/api/control/' + path, body || {});
      toast(answer && answer.detail ? answer.detail : 'Done.');
      await Promise.all([loadStatus(), loadOrders()]);
    } catch (error) {
      failed(error);
    } finally {
      if (button) button.disabled = false;
      renderStatus();
    }
  };

  const wireControls = () => {
    $('pause').addEventListener('click', (e) => control('pause', {}, e.currentTarget));
    $('resume').addEventListener('click', (e) => control('resume', {}, e.currentTarget));
    $('reload-strategies').addEventListener('click', (e) => control('reload-strategies', {}, e.currentTarget));
    $('exit-all').addEventListener('click', (e) => {
      if (window.confirm('Exit every open position at the market now?')) control('exit-all', {}, e.currentTarget);
    });
    $('stop').addEventListener('click', (e) => {
      if (window.confirm('Stop the bot? It will not trade again until someone starts it.')) control('stop', {}, e.currentTarget);
    });
    $('positions').addEventListener('click', (e) => {
      const button = e.target.closest('button[data-action="exit"]');
      if (button) control('exit', { symbol: button.dataset.symbol }, button);
    });
    $('agents').addEventListener('click', (e) => {
      const button = e.target.closest('button[data-action="restart"]');
      if (button) control('restart', { agent: button.dataset.agent }, button);
    });
    $('symbol').addEventListener('change', (e) => {
      state.symbol = e.currentTarget.value;
      loadCandles().catch((error) => failed(error, 'Candles'));
    });
    $('logout').addEventListener('click', () => logout(''));
  };

  // ---- login --------------------------------------------------------------------------------------------

  let pollTimer;
  let tickTimer;

  const start = async () => {
    running = true;
    // The page shows first, so that the charts are made at their size, and a route that fails leaves the
    // rest of the page working (its error in a toast). The live feed opens before the REST answers so that
    // nothing happening in between is missed.
    $('login').hidden = true;
    $('app').hidden = false;
    connect();
    // A failed poll says so beside the live feed's state rather than in a toast every few seconds.
    pollTimer = setInterval(() => {
      Promise.all([loadStatus(), loadOrders()]).then(() => {
        if (socket && socket.readyState === WebSocket.OPEN) setConnection('connected', 'ok');
      }, (e) => {
        if (e instanceof Unauthorized) failed(e);
        else setConnection('bot unreachable (' + (e && e.message ? e.message : String(e)) + ')', 'bad');
      });
    }, POLL_MS);
    tickTimer = setInterval(renderTicking, 1000);
    await loadAll();
  };

  const logout = (message) => {
    running = false;
    clearInterval(pollTimer);
    clearInterval(tickTimer);
    clearTimeout(reconnectTimer);
    clearTimeout(refreshTimer);
    if (socket) {
      const ws = socket;
      socket = undefined;
      ws.close();
    }
    token = '';
    sessionStorage.removeItem(TOKEN_KEY);
    $('app').hidden = true;
    $('login').hidden = false;
    const error = $('login-error');
    error.textContent = message || '';
    error.hidden = !message;
    $('token').value = '';
    $('token').focus();
  };

  const login = async (candidate) => {
    token = candidate;
    try {
      await api('/api/status');
    } catch (error) {
      const message = error && error.message ? error.message : String(error);
      // fetch rejects with a TypeError when there is no answer at all; any other error is the bot's sentence
      // (too many attempts, for one).
      if (error instanceof Unauthorized) logout('Wrong token: the bot refused it.');
      else if (error instanceof TypeError) logout('Could not reach the bot: ' + message);
      else logout('The bot did not let you in: ' + message);
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, candidate);
    $('login-error').hidden = true;
    try {
      await start();
    } catch (error) {
      failed(error);
    }
  };

  const init = () => {
    wireControls();
    if (!LWC) toast('The chart library did not load: the charts are off.', true);
    $('login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const value = $('token').value.trim();
      if (value) login(value);
    });
    if (token) login(token);
    else {
      $('login').hidden = false;
      $('token').focus();
    }
  };

  init();
})();
