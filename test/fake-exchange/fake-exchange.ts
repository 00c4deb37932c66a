import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultStartPrice } from '../../src/market/simulated-market';
import { isTimeframe, timeframeMs } from '../../src/market/timeframe';
import { binanceId, defaultMarket, exchangeInfo, klineRow, ticker24hr, type FakeMarket } from './binance-format';
import { fileTrack, generatedTrack, type CandleTrack, type Outage } from './candle-track';
import { FaultScript, type Fault } from './faults';
import { selectKlines, type Kline } from './klines';

export type { Fault, FaultMatch, FaultRule } from './faults';
export type { FakeMarket } from './binance-format';
export type { Outage } from './candle-track';

export interface FakeExchangeOptions {
  /** Default 0: a free port chosen by the system. Always on 127.0.0.1. */
  port?: number;
  /** Markets with generated candles; default BTC/USDT and ETH/USDT unless `files` are given. */
  symbols?: string[];
  /** Seed of the generated candles; default 1. */
  seed?: number;
  /** Timeframe of the generated candles, the finest interval served; default 1m. */
  timeframe?: string;
  /** Open time of the first generated candle; default 2024-01-01T00:00Z. */
  start?: number;
  /** Candle files (what `backtest --data` reads) to serve; the symbol comes from each file name. */
  files?: string[];
  /**
   * Exchange time when the server starts. Default: the end of the last file's last candle, or 30 days
   * after `start` for generated candles.
   */
  now?: number;
  /** How fast exchange time runs, in base candles per wall-clock second; default 0: time stands still. */
  speed?: number;
  /** Ranges with no candles at all, as when an exchange was down. */
  outages?: Outage[];
  /** Filter and status overrides per market, e.g. `{ symbol: 'ETH/USDT', status: 'BREAK' }`. */
  markets?: Array<Partial<FakeMarket> & { symbol: string }>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Wall-clock ms when the request arrived. */
  time: number;
  /** The fault it was answered with, if any. */
  fault?: Fault;
}

export interface FakeExchange {
  url: string;
  port: number;
  faults: FaultScript;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  readonly markets: readonly FakeMarket[];
  /** Exchange time (ms). */
  now(): number;
  /** Moves exchange time to `ms`; it runs on from there at the configured speed. */
  setNow(ms: number): void;
  /** The klines GET /api/v3/klines would return, as numbers: a test's expected values. */
  klines(symbol: string, interval: string, query?: { startTime?: number; endTime?: number; limit?: number }): number[][];
  /** Requests whose path is `path`. */
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const DEFAULT_START = Date.UTC(2024, 0, 1);

interface Listed {
  market: FakeMarket;
  track: CandleTrack;
}

class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts a local HTTP server that answers like Binance's spot REST API (the public part ccxt uses). */
export async function createFakeExchange(options: FakeExchangeOptions = {}): Promise<FakeExchange> {
  const outages = options.outages ?? [];
  const { tracks, filesEnd } = buildTracks(options, outages);
  const listed = new Map<string, Listed>();
  for (const track of tracks) {
    const override = options.markets?.find((m) => m.symbol === track.symbol) ?? {};
    // Generated tracks hold no candle yet: they start at the built-in price.
    const reference = track.upTo(-Infinity)[0]?.close ?? defaultStartPrice(track.symbol);
    listed.set(binanceId(track.symbol), { market: { ...defaultMarket(track.symbol, reference), ...override }, track });
  }
  const basePeriodMs = tracks[0]!.periodMs;
  const speed = options.speed ?? 0;
  let clockBase = options.now ?? filesEnd ?? (options.start ?? DEFAULT_START) + 30 * DAY_MS;
  let wallBase = Date.now();
  const now = (): number => Math.floor(clockBase + ((Date.now() - wallBase) * speed * basePeriodMs) / 1000);

  const faults = new FaultScript();
  const requests: RecordedRequest[] = [];

  const klines = (symbolId: string, interval: string, query: URLSearchParams): { entry: Listed; intervalMs: number; rows: Kline[] } => {
    const entry = listed.get(symbolId);
    if (!entry) throw new BinanceError(400, -1121, 'Invalid symbol.');
    if (!isTimeframe(interval)) throw new BinanceError(400, -1120, 'Invalid interval.');
    const intervalMs = timeframeMs(interval);
    // The fake can only roll base candles up, never split them.
    if (intervalMs % entry.track.periodMs !== 0) throw new BinanceError(400, -1120, 'Invalid interval.');
    const limit = Math.min(integerParam(query, 'limit') ?? 500, 1000);
    if (limit < 1) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '1 - 1000'.");
    const startTime = integerParam(query, 'startTime');
    const endTime = integerParam(query, 'endTime');
    const t = now();
    const rows = selectKlines(entry.track.upTo(t), { interval, intervalMs, limit, ...(startTime !== undefined && { startTime }), ...(endTime !== undefined && { endTime }) }, t);
    return { entry, intervalMs, rows };
  };

  const routes: Record<string, (query: URLSearchParams) => unknown> = {
    '/api/v3/ping': () => ({}),
    '/api/v3/time': () => ({ serverTime: now() }),
    '/api/v3/exchangeInfo': (query) => exchangeInfo(chosenMarkets(listed, query), now()),
    '/api/v3/klines': (query) => {
      const { entry, intervalMs, rows } = klines(required(query, 'symbol'), required(query, 'interval'), query);
      return rows.map((k) => klineRow(k, intervalMs, entry.market));
    },
    '/api/v3/ticker/24hr': (query) => {
      const t = now();
      const window = (entry: Listed): Kline[] =>
        selectKlines(entry.track.upTo(t), { interval: entry.track.timeframe, intervalMs: entry.track.periodMs, startTime: t - DAY_MS + 1, limit: Infinity }, t);
      const one = (entry: Listed): unknown => ticker24hr(entry.market, window(entry), t);
      const symbol = query.get('symbol');
      if (symbol !== null) return one(listedOrThrow(listed, symbol));
      return chosenMarkets(listed, query).map((m) => one(listed.get(binanceId(m.symbol))!));
    },
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), time: Date.now() };
    requests.push(record);
    const fault = faults.take(method, url.pathname, record.query);
    if (fault) {
      record.fault = fault;
      answerWithFault(res, fault);
      return;
    }
    const route = routes[url.pathname];
    if (!route || method !== 'GET') {
      send(res, 404, '<html><body><h2>404 Not found</h2></body></html>', 'text/html');
      return;
    }
    try {
      send(res, 200, JSON.stringify(route(url.searchParams)));
    } catch (err) {
      if (!(err instanceof BinanceError)) throw err;
      send(res, err.status, JSON.stringify({ code: err.code, msg: err.message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    requests,
    markets: [...listed.values()].map((l) => l.market),
    now,
    setNow: (ms) => {
      clockBase = ms;
      wallBase = Date.now();
    },
    klines: (symbol, interval, query = {}) => {
      const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
      const { entry, intervalMs, rows } = klines(binanceId(symbol), interval, params);
      return rows.map((k) => klineRow(k, intervalMs, entry.market).slice(0, 6).map(Number));
    },
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Ends kept-alive sockets and requests held by a timeout fault, so close() does not wait for them.
        server.closeAllConnections();
      }),
  };
}

interface Tracks {
  tracks: CandleTrack[];
  /** Close time of the last candle of the files, when files were given. */
  filesEnd: number | undefined;
}

function buildTracks(options: FakeExchangeOptions, outages: readonly Outage[]): Tracks {
  const fromFiles = (options.files ?? []).map((file) => fileTrack(file, outages));
  // Files are read whole at once, so their first price (for the market's filters) and their end are known.
  for (const track of fromFiles) track.upTo(Number.MAX_SAFE_INTEGER);
  const ends = fromFiles.map((t) => (t.lastTime() ?? 0) + t.periodMs);
  const symbols = options.symbols ?? (fromFiles.length > 0 ? [] : ['BTC/USDT', 'ETH/USDT']);
  const generated = symbols.map((symbol) =>
    generatedTrack({ symbol, timeframe: options.timeframe ?? '1m', seed: options.seed ?? 1, start: options.start ?? DEFAULT_START, outages }),
  );
  const tracks = [...fromFiles, ...generated];
  if (tracks.length === 0) throw new Error('a fake exchange needs at least one market: give symbols or files');
  const ids = tracks.map((t) => t.symbol);
  if (new Set(ids).size !== ids.length) throw new Error(`markets must not repeat: ${ids.join(', ')}`);
  return { tracks, filesEnd: ends.length > 0 ? Math.max(...ends) : undefined };
}

function chosenMarkets(listed: ReadonlyMap<string, Listed>, query: URLSearchParams): FakeMarket[] {
  const symbol = query.get('symbol');
  if (symbol !== null) return [listedOrThrow(listed, symbol).market];
  const symbols = query.get('symbols');
  if (symbols !== null) {
    let ids: unknown;
    try {
      ids = JSON.parse(symbols);
    } catch {
      throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
    }
    if (!Array.isArray(ids)) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
    return ids.map((id) => listedOrThrow(listed, String(id)).market);
  }
  return [...listed.values()].map((l) => l.market);
}

function listedOrThrow(listed: ReadonlyMap<string, Listed>, id: string): Listed {
  const entry = listed.get(id);
  if (!entry) throw new BinanceError(400, -1121, 'Invalid symbol.');
  return entry;
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') {
    throw new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
  }
  return value;
}

function integerParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!/^-?\d{1,20}$/.test(value)) {
    throw new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`);
  }
  return Number(value);
}

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json;charset=UTF-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function answerWithFault(res: http.ServerResponse, fault: Fault): void {
  switch (fault.type) {
    case 'rate-limit': {
      const retryAfter = fault.retryAfterSec ?? 1;
      const msg = 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.';
      send(res, 429, JSON.stringify({ code: -1003, msg }), undefined, { 'Retry-After': String(retryAfter) });
      return;
    }
    case 'ip-ban': {
      const retryAfter = fault.retryAfterSec ?? 120;
      const msg = `Way too much request weight used; IP banned until ${Date.now() + retryAfter * 1000}. Please use WebSocket Streams for live updates to avoid bans.`;
      send(res, 418, JSON.stringify({ code: -1003, msg }), undefined, { 'Retry-After': String(retryAfter) });
      return;
    }
    case 'server-error': {
      const status = fault.status ?? 500;
      if (status === 500) send(res, 500, JSON.stringify({ code: -1000, msg: 'An unknown error occurred while processing the request.' }));
      else if (status === 502) send(res, 502, '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', 'text/html');
      else send(res, 503, 'Service Unavailable', 'text/plain');
      return;
    }
    case 'timeout':
      // Never answered: the client's own timeout ends it, or close() does.
      return;
    case 'timestamp':
      send(res, 400, JSON.stringify({ code: -1021, msg: "Timestamp for this request is outside of the recvWindow." }));
      return;
  }
}
