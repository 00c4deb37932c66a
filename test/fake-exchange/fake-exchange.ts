import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { splitSymbol } from '../../src/market/symbols';
import { defaultStartPrice } from '../../src/market/simulated-market';
import { binanceId, defaultMarket, klineRow, type FakeMarket } from './binance-format';
import { BinanceError } from './binance-error';
import { fileTrack, generatedTrack, type CandleTrack, type Outage } from './candle-track';
import { FaultScript, type Fault } from './faults';
import type { Listed } from './listing';
import { MarketStreams } from './market-streams';
import { MatchingEngine, type EngineEvent, type FakeOrder, type FakeTrade } from './matching';
import { executionReport, outboundAccountPosition } from './order-format';
import { lastPriceAt, stepsBetween } from './price-path';
import { answerWithFault, readBody, send, type Answer } from './http-answers';
import { privateRoutes, type Route } from './private-routes';
import { klinesAt, listedOrThrow, publicRoutes } from './public-routes';
import { DEMO_CREDENTIALS, checkSigned, restSignedRequest } from './signing';
import { UserEvents, userApi } from './user-stream';
import type { AssetBalance } from './wallet';
import { WsHub, type StreamTarget } from './ws-hub';

export type { Fault, FaultMatch, FaultRule } from './faults';
export type { FakeMarket } from './binance-format';
export type { Outage } from './candle-track';
export type { FakeOrder, FakeTrade, OrderStatus } from './matching';
export type { AssetBalance } from './wallet';
export type { StreamTarget } from './ws-hub';
export { DEMO_CREDENTIALS } from './signing';

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
  /** The API key and secret the signed endpoints accept; default DEMO_CREDENTIALS. */
  apiKey?: string;
  secret?: string;
  /** The account's starting balances per asset; default { USDT: 10000 }. */
  balances?: Record<string, number>;
  /** Commission per fill, a fraction of what the order receives (base on a buy, quote on a sell); default 0.001. */
  feeRate?: number;
  /** Base quantity one price step (base candle) can fill per market, e.g. { 'BTC/USDT': 0.002 }: larger orders fill in pieces. Unlimited by default. */
  liquidity?: Record<string, number>;
  /**
   * How far the fake's server clock is ahead of this machine's (negative: behind); default 0. Signed
   * requests' timestamps are checked against this clock, not exchange time: exchange time may stand still
   * or run at many candles a second, and no client could keep its timestamps within a recvWindow of it.
   */
  clockSkewMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The parameters, from the query string and the form body together. */
  query: Record<string, string>;
  /** Wall-clock ms when the request arrived. */
  time: number;
  /** The fault it was answered with, if any. */
  fault?: Fault;
}

export interface FakeStreams {
  /** Resolves once an open socket is subscribed to `stream` (e.g. 'btcusdt@kline_1m'), or to the user data stream ('user'). */
  subscribed(stream: string): Promise<void>;
  /** Ends the target's sockets, abruptly unless a close `code` is given; how many. */
  drop(target?: StreamTarget, options?: { code?: number; reason?: string }): number;
  /** The target's sockets stay open and get nothing (not even pongs) until resumed, or for `ms`; how many. */
  stall(target?: StreamTarget, options?: { ms?: number }): number;
  resume(target?: StreamTarget): number;
  /** Open sockets and their subscriptions. */
  list(): Array<{ kind: 'market' | 'api'; streams: string[]; user: boolean; stalled: boolean }>;
}

export interface FakeExchange {
  url: string;
  port: number;
  /** Base of the market streams, Binance's wss://stream.binance.com:9443/ws. */
  wsUrl: string;
  /** The WebSocket API, Binance's wss://ws-api.binance.com:443/ws-api/v3 (user data stream). */
  wsApiUrl: string;
  apiKey: string;
  secret: string;
  faults: FaultScript;
  streams: FakeStreams;
  /** Every request so far, in arrival order (WebSocket handshakes included). */
  readonly requests: readonly RecordedRequest[];
  readonly markets: readonly FakeMarket[];
  /** Exchange time (ms). */
  now(): number;
  /** Moves exchange time to `ms`; it runs on from there at the configured speed. Resting orders match on the way. */
  setNow(ms: number): void;
  /** Moves exchange time on by `ms`. */
  advance(ms: number): void;
  /** Moves exchange time to the open of the `n`-th next base candle (default 1): `n` price steps. */
  step(n?: number): void;
  /** The market's last price at exchange time: what a market order fills at. */
  price(symbol: string): number;
  /** The klines GET /api/v3/klines would return, as numbers: a test's expected values. */
  klines(symbol: string, interval: string, query?: { startTime?: number; endTime?: number; limit?: number }): number[][];
  /** Requests whose path is `path`. */
  requestsTo(path: string): RecordedRequest[];
  /** Every order placed, in order (a test's view of the book: client ids, statuses, filled quantities). */
  orders(filter?: { symbol?: string; open?: boolean }): FakeOrder[];
  /** Every fill, in order. */
  trades(symbol?: string): FakeTrade[];
  /** The account's balances, every asset it ever held. */
  balances(): AssetBalance[];
  balance(asset: string): { free: number; locked: number };
  /** Changes a market's liquidity per price step (undefined: unlimited), from the current step on. */
  setLiquidity(symbol: string, qty: number | undefined): void;
  setClockSkew(ms: number): void;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const DEFAULT_START = Date.UTC(2024, 0, 1);
/** How often exchange time is caught up with (orders matched, streams fed) when it runs by itself. */
const MIN_TICK_MS = 20;

/**
 * Starts a local server that answers like Binance's spot API, REST and WebSocket, for ccxt's unmodified
 * binance and binance pro classes: public market data, signed trading and account endpoints against a
 * matching engine on the played candles, market streams and the user data stream, with scripted faults.
 */
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
  let clockSkewMs = options.clockSkewMs ?? 0;
  const serverClock = (): number => Date.now() + clockSkewMs;
  const credentials = { apiKey: options.apiKey ?? DEMO_CREDENTIALS.apiKey, secret: options.secret ?? DEMO_CREDENTIALS.secret };
  const feeRate = options.feeRate ?? 0.001;

  const faults = new FaultScript();
  const requests: RecordedRequest[] = [];
  const entryOf = (symbol: string): Listed => listedOrThrow(listed, binanceId(symbol));

  // Late-bound: the engine reports to the streams, which are made after it.
  let onEngineEvent: (event: EngineEvent) => void = () => undefined;
  const engine = new MatchingEngine([...listed.values()].map((l) => l.market), {
    ...(options.balances !== undefined && { balances: options.balances }),
    ...(options.liquidity !== undefined && { liquidity: options.liquidity }),
    feeRate,
    onEvent: (event) => onEngineEvent(event),
  });

  // Exchange time is caught up with lazily: before each request and message, and on a timer when it runs.
  // Requests are then answered at `cursor`, the time caught up to, not at the running clock: an order is
  // placed at the price and in the price step the request was synced to, even while time runs on.
  let cursor = now();
  const syncedNow = (): number => cursor;
  const priceOf = (symbol: string): number => {
    const entry = entryOf(symbol);
    return lastPriceAt(entry.track, entry.market, cursor);
  };
  const sync = (): void => {
    const t = now();
    if (t > cursor) {
      for (const entry of listed.values()) {
        const steps = stepsBetween(entry.track, entry.market, cursor, t);
        for (const step of steps) engine.step(entry.market.symbol, step);
        marketStreams.onSteps(entry, steps, cursor, t);
      }
    }
    // Time set back (setNow) replays nothing: the steps already taken stay taken.
    cursor = t;
  };

  const hub: WsHub = new WsHub({
    validStream: (name) => marketStreams.validStream(name),
    onSubscribed: (conn, stream) => marketStreams.onSubscribed(conn, stream),
    apiRequest: (conn, request) => api(conn, request),
    beforeMessage: sync,
  });
  const marketStreams = new MarketStreams(hub, listed, syncedNow, (symbol) => engine.tradeId(symbol));
  const api = userApi(hub, (request) => checkInSomeFrame(request), syncedNow);
  const userEvents = new UserEvents(hub);
  onEngineEvent = (event) => {
    if (event.kind === 'balance') {
      userEvents.publish(outboundAccountPosition(event.balances, event.time));
      return;
    }
    userEvents.publish(executionReport(event.execution, event.order, event.time, event.trade));
    if (event.trade) marketStreams.onFill(event.trade, binanceId(event.order.symbol));
  };

  const assets = [...new Set([...listed.values()].flatMap((l) => Object.values(splitSymbol(l.market.symbol))))];
  const publicGet = publicRoutes(listed, syncedNow);
  // /api/v3/time answers exchange time, which may run at many candles a second. A client that syncs its
  // clock to it (ccxt's loadTimeDifference, after a -1021) then signs in that frame: each answer's offset
  // from the server clock is remembered, and a timestamp is accepted in the server's frame or in one of
  // the recent synced frames, as a client synced to a real exchange's clock would be.
  const syncedOffsets: number[] = [];
  const answerTime = publicGet['/api/v3/time']!;
  publicGet['/api/v3/time'] = (params) => {
    const answered = answerTime(params) as { serverTime: number };
    syncedOffsets.push(serverClock() - answered.serverTime);
    if (syncedOffsets.length > 20) syncedOffsets.shift();
    return answered;
  };
  const checkInSomeFrame = (request: Parameters<typeof checkSigned>[0]): void => {
    try {
      checkSigned(request, credentials, serverClock());
    } catch (err) {
      if (!(err instanceof BinanceError) || err.code !== -1021) throw err;
      const now = serverClock();
      for (const offset of syncedOffsets) {
        try {
          checkSigned(request, credentials, now - offset);
          return;
        } catch {
          // Not this frame either.
        }
      }
      throw err;
    }
  };
  const signed = privateRoutes({ engine, symbolOf: (id) => listedOrThrow(listed, id).market.symbol, now: syncedNow, priceOf, feeRate, assets });

  /** The route's answer, or Binance's error answer; may change the book (and queue stream events). */
  const answer = (method: string, path: string, params: URLSearchParams, signing: () => void): Answer => {
    const privateRoute: Route | undefined = signed[`${method} ${path}`];
    const route = privateRoute ?? (method === 'GET' ? publicGet[path] : undefined);
    if (!route) return { status: 404, body: '<html><body><h2>404 Not found</h2></body></html>', type: 'text/html' };
    try {
      if (privateRoute) signing();
      return { status: 200, body: JSON.stringify(route(params)) };
    } catch (err) {
      if (!(err instanceof BinanceError)) throw err;
      return { status: err.status, body: JSON.stringify({ code: err.code, msg: err.message }) };
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const rawQuery = url.search.slice(1);
    const params = new URLSearchParams(rawQuery);
    // Binance takes parameters from the query string and the form body alike.
    for (const [key, value] of new URLSearchParams(rawBody)) if (!params.has(key)) params.append(key, value);
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(params), time: Date.now() };
    requests.push(record);
    sync();
    const apiKey = req.headers['x-mbx-apikey'];
    const signing = (): void => checkInSomeFrame(restSignedRequest(rawQuery, rawBody, Array.isArray(apiKey) ? apiKey[0] : apiKey, params));
    const fault = faults.take(method, url.pathname, record.query);
    if (fault) record.fault = fault;
    if (fault?.type === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      send(res, answer(method, url.pathname, params, signing));
      return;
    }
    userEvents.hold();
    try {
      if (fault?.type === 'stream-before-ack') {
        const result = answer(method, url.pathname, params, signing);
        userEvents.release();
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 100));
        send(res, result);
        return;
      }
      if (fault) {
        const processed = (fault.type === 'server-error' || fault.type === 'timeout') && fault.processed === true;
        if (processed) answer(method, url.pathname, params, signing);
        userEvents.release();
        answerWithFault(res, fault);
        return;
      }
      send(res, answer(method, url.pathname, params, signing));
    } finally {
      // After the answer is written: the client reads the acknowledgement before the stream's events.
      userEvents.release();
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: JSON.stringify({ code: -1000, msg: 'An unknown error occurred while processing the request.' }) });
    });
  });
  const upgradesHeld = new Set<Duplex>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = { method: 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), time: Date.now() };
    requests.push(record);
    sync();
    const fault = faults.take('GET', url.pathname, record.query);
    if (fault) {
      record.fault = fault;
      // A handshake that fails the way HTTP does; a timeout leaves the socket hanging until close().
      if (fault.type !== 'timeout') socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      else upgradesHeld.add(socket);
      return;
    }
    if (!hub.upgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const clockTimer = speed > 0 ? setInterval(sync, Math.max(MIN_TICK_MS, 1000 / speed)) : undefined;
  clockTimer?.unref();

  const setNow = (ms: number): void => {
    clockBase = ms;
    wallBase = Date.now();
    sync();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    wsApiUrl: `ws://127.0.0.1:${port}/ws-api/v3`,
    apiKey: credentials.apiKey,
    secret: credentials.secret,
    faults,
    streams: {
      subscribed: (stream) => hub.subscribed(stream),
      drop: (target, opts) => hub.drop(target, opts),
      stall: (target, opts) => hub.stall(target, opts),
      resume: (target) => hub.resume(target),
      list: () => hub.list(),
    },
    requests,
    markets: [...listed.values()].map((l) => l.market),
    now,
    setNow,
    advance: (ms) => setNow(now() + ms),
    step: (n = 1) => setNow((Math.floor(now() / basePeriodMs) + n) * basePeriodMs),
    price: (symbol) => {
      sync();
      return priceOf(symbol);
    },
    klines: (symbol, interval, query = {}) => {
      const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
      const { entry, intervalMs, rows } = klinesAt(listed, binanceId(symbol), interval, params, now());
      return rows.map((k) => klineRow(k, intervalMs, entry.market).slice(0, 6).map(Number));
    },
    requestsTo: (path) => requests.filter((r) => r.path === path),
    orders: (filter) => {
      sync();
      return engine.orders(filter);
    },
    trades: (symbol) => {
      sync();
      return engine.trades(symbol);
    },
    balances: () => {
      sync();
      return engine.wallet.snapshot();
    },
    balance: (asset) => {
      sync();
      const b = engine.wallet.snapshot().find((x) => x.asset === asset);
      return { free: b?.free ?? 0, locked: b?.locked ?? 0 };
    },
    setLiquidity: (symbol, qty) => engine.setLiquidity(symbol, qty),
    setClockSkew: (ms) => {
      clockSkewMs = ms;
    },
    close: async () => {
      if (clockTimer) clearInterval(clockTimer);
      for (const socket of upgradesHeld) socket.destroy();
      await hub.close();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Ends kept-alive sockets and requests held by a timeout fault, so close() does not wait for them.
        server.closeAllConnections();
      });
    },
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
