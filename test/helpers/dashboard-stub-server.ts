import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BotStatus, EquityPoint, LiveEvent, StrategyReport } from '../../src/api/bot-control';
import { dashboardFiles } from '../../src/api/dashboard/dashboard-files';
import type { Order } from '../../src/execution/types';
import type { Candle } from '../../src/market/types';
import type { ClosedTrade, PortfolioSnapshot, PositionView } from '../../src/portfolio/types';

/**
 * A stand-in for the API server, to test the dashboard against the contract of src/api/bot-control.ts alone:
 * node:http and `ws` on 127.0.0.1, the dashboard's files with the real server's CSP, the JSON routes with
 * scripted data a test may change, the bearer-token rule, the control routes (recorded, and answered as the
 * bot would), and the live WebSocket with its first-message auth, to which the test pushes LiveEvents.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface StubData {
  status: BotStatus;
  portfolio: PortfolioSnapshot;
  positions: PositionView[];
  orders: Order[];
  /** Newest first, as the route answers. */
  trades: ClosedTrade[];
  equity: EquityPoint[];
  candles: Record<string, Candle[]>;
  strategies: StrategyReport[];
}

export interface ControlCall {
  action: string;
  body: Record<string, unknown>;
}

export interface DashboardStub {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly data: StubData;
  /** Every control POST that passed the auth check, in order. */
  readonly calls: ControlCall[];
  /** Every request path (with its query), in order. */
  readonly requests: string[];
  /** Sockets that sent the right token. */
  liveClients(): number;
  push(event: LiveEvent): void;
  /** Closes every live socket as a restarting server would (1012), so the page reconnects. */
  dropLive(): void;
  /** While true, the live feed answers every auth with close code 4401, as for a wrong token. */
  refuseLive: boolean;
  close(): Promise<void>;
}

const MINUTE = 60_000;

/** 300 one-minute candles a little wavy around `base`, the last closing about now. */
export function stubCandles(symbol: string, base: number, end: number): Candle[] {
  const candles: Candle[] = [];
  const first = Math.floor(end / MINUTE) * MINUTE - 299 * MINUTE;
  let close = base;
  for (let i = 0; i < 300; i++) {
    const open = close;
    close = base * (1 + 0.02 * Math.sin(i / 17) + 0.004 * Math.sin(i * 1.3));
    const high = Math.max(open, close) * 1.001;
    const low = Math.min(open, close) * 0.999;
    candles.push({ symbol, timeframe: '1m', time: first + i * MINUTE, open, high, low, close, volume: 10 + (i % 7) });
  }
  return candles;
}

/** A paper bot an hour into its run: one BTC position, one closed ETH trade, one open order. */
export function stubData(now = Date.now()): StubData {
  const startedAt = now - 3_600_000;
  const btc = stubCandles('BTC/USDT', 30_000, now);
  const eth = stubCandles('ETH/USDT', 2_000, now);
  const lastBtc = btc[btc.length - 1]!.close;
  const position: PositionView = { symbol: 'BTC/USDT', qty: 0.1, avgEntry: btc[250]!.close, entryTime: btc[250]!.time + 1, lastPrice: lastBtc, unrealizedPnl: (lastBtc - btc[250]!.close) * 0.1, entryFees: 3 };
  const cash = 7_000;
  const equity: EquityPoint[] = [];
  for (let i = 0; i < 60; i++) equity.push({ time: startedAt + i * MINUTE, equity: 10_000 + 40 * Math.sin(i / 6) + i });
  const positionsValue = position.qty * position.lastPrice;
  equity.push({ time: now, equity: cash + positionsValue });
  const agents = ['config', 'data', 'analysis', 'trade', 'portfolio', 'monitor'].map((name) => ({ name, state: 'running' as const, since: startedAt, messagesIn: 120, messagesOut: 80, restarts: 0 }));
  return {
    status: {
      mode: 'paper',
      startedAt,
      uptimeS: 3600,
      agents,
      risk: { state: 'active' },
      entriesPaused: false,
      data: { symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', lastCandleTime: btc[btc.length - 1]!.time, ageMs: 2_000, stale: [] },
      strategies: ['sma-cross'],
    },
    portfolio: { time: now, quoteCurrency: 'USDT', cash, positions: [position], positionsValue, equity: cash + positionsValue, realizedPnl: 12.5, feesPaid: 6.25 },
    positions: [position],
    orders: [{ clientOrderId: 'paper-7', symbol: 'ETH/USDT', side: 'buy', type: 'limit', quoteAmount: 500, limitPrice: 1_950, reason: 'signal', origin: 'sma-cross', createdAt: now - 30_000 }],
    trades: [
      { symbol: 'ETH/USDT', entryTime: eth[100]!.time, exitTime: eth[160]!.time, side: 'long', qty: 1, entryPrice: eth[100]!.close, exitPrice: eth[160]!.close, fees: 2, pnl: 12.5, pnlPct: 0.62, exitReason: 'signal', strategy: 'sma-cross' },
    ],
    equity,
    candles: { 'BTC/USDT': btc, 'ETH/USDT': eth },
    strategies: [{ name: 'sma-cross', params: { fast: 10, slow: 30 }, symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m' }],
  };
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function startDashboardStub(token: string, data: StubData = stubData()): Promise<DashboardStub> {
  const files = dashboardFiles();
  const calls: ControlCall[] = [];
  const requests: string[] = [];
  const authed = new Set<WebSocket>();

  const applied = (action: string, detail: string): { ok: true; detail: string } => {
    for (const socket of authed) socket.send(JSON.stringify({ type: 'control', data: { action, detail, by: 'api' } } satisfies LiveEvent));
    return { ok: true, detail };
  };

  // What the bot would answer to each command, and do to the scripted state.
  const control = (action: string, body: Record<string, unknown>): [number, unknown] => {
    const symbol = typeof body['symbol'] === 'string' ? body['symbol'] : undefined;
    const agent = typeof body['agent'] === 'string' ? body['agent'] : undefined;
    switch (action) {
      case 'pause':
        if (data.status.entriesPaused) return [409, { error: 'entries are already paused' }];
        data.status.entriesPaused = true;
        return [200, applied('pause-entries', 'entries paused: exits still go')];
      case 'resume':
        if (!data.status.entriesPaused) return [409, { error: 'entries are not paused' }];
        data.status.entriesPaused = false;
        return [200, applied('resume-entries', 'entries resumed')];
      case 'exit':
        if (symbol === undefined) return [400, { error: 'exit needs a symbol' }];
        if (!data.positions.some((p) => p.symbol === symbol)) return [409, { error: `no open position in ${symbol}` }];
        return [200, applied('exit-position', `exit of ${symbol} sent`)];
      case 'exit-all':
        return [200, applied('exit-all', `exit of ${data.positions.length} position(s) sent`)];
      case 'stop':
        return [200, applied('stop', 'the bot is stopping')];
      case 'reload-strategies':
        return [200, applied('reload-strategies', `${data.strategies.length} strateg(ies) reloaded`)];
      case 'restart': {
        const report = data.status.agents.find((a) => a.name === agent);
        if (!report) return [409, { error: `no agent named ${String(agent)}` }];
        report.restarts += 1;
        return [200, applied('restart-agent', `agent ${report.name} restarted`)];
      }
      default:
        return [404, { error: 'not found' }];
    }
  };

  const read = (url: URL): unknown => {
    switch (url.pathname) {
      case '/api/status':
        return data.status;
      case '/api/portfolio':
        return data.portfolio;
      case '/api/positions':
        return data.positions;
      case '/api/orders':
        return data.orders;
      case '/api/trades':
        return data.trades.slice(0, Number(url.searchParams.get('limit') ?? 100));
      case '/api/equity':
        return data.equity;
      case '/api/candles': {
        const candles = data.candles[url.searchParams.get('symbol') ?? ''];
        return candles === undefined ? undefined : candles.slice(-Number(url.searchParams.get('limit') ?? 300));
      }
      case '/api/config':
        return { mode: data.status.mode };
      case '/api/strategies':
        return data.strategies;
      default:
        return undefined;
    }
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const file = request.method === 'GET' ? files.get(url.pathname) : undefined;
    if (file) {
      response.writeHead(200, { 'Content-Type': file.type, 'Content-Security-Policy': DASHBOARD_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
      response.end(file.body);
      return;
    }
    if (!url.pathname.startsWith('/api/')) return send(response, 404, { error: 'not found' });
    if (request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { error: 'unauthorized' });
    if (url.pathname.startsWith('/api/control/')) {
      if (request.method !== 'POST') return send(response, 404, { error: 'not found' });
      void readJson(request).then((body) => {
        if (body === undefined) return send(response, 400, { error: 'the body is not a JSON object' });
        const action = url.pathname.slice('/api/control/'.length);
        calls.push({ action, body });
        const [status, answer] = control(action, body);
        send(response, status, answer);
      });
      return;
    }
    const answer = request.method === 'GET' ? read(url) : undefined;
    if (answer === undefined) return send(response, 404, { error: 'not found' });
    send(response, 200, answer);
  });

  const live = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== '/api/live') {
      socket.destroy();
      return;
    }
    live.handleUpgrade(request, socket, head, (ws) => {
      ws.once('message', (raw) => {
        let message: unknown;
        try {
          message = JSON.parse(String(raw));
        } catch {
          message = undefined;
        }
        const m = message as { type?: unknown; token?: unknown } | undefined;
        if (m?.type !== 'auth' || m.token !== token || stub.refuseLive) {
          ws.close(4401, 'unauthorized');
          return;
        }
        authed.add(ws);
      });
      ws.on('close', () => authed.delete(ws));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const stub: DashboardStub = {
    url: `http://127.0.0.1:${port}`,
    refuseLive: false,
    data,
    calls,
    requests,
    liveClients: () => authed.size,
    push: (event) => {
      const text = JSON.stringify(event);
      for (const socket of authed) socket.send(text);
    },
    dropLive: () => {
      for (const socket of live.clients) socket.close(1012, 'restarting');
    },
    close: async () => {
      for (const socket of live.clients) socket.terminate();
      live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}
