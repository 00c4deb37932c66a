import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BinanceError } from './binance-error';

/**
 * The fake's WebSocket side, on the same HTTP server as its REST API, with Binance's URLs:
 * - market streams: /ws, /ws/<stream>[/<stream>...] (raw payloads) and /stream?streams=a/b (each wrapped
 *   as {stream, data}), managed with {method: SUBSCRIBE | UNSUBSCRIBE | LIST_SUBSCRIPTIONS, params, id};
 * - the WebSocket API: /ws-api/v3, requests {id, method, params} answered {id, status, result | error};
 *   the user data stream comes over it once subscribed, each event as {subscriptionId, event}.
 * Also the stream faults: dropping sockets, and stalls in which a socket stays open but nothing reaches it
 * (pongs included, so a client's keep-alive can notice).
 */

/** Which sockets a stream fault applies to: all of them, the WebSocket API ones ('user'), the market ones, or those subscribed to one stream ('btcusdt@kline_1m'). */
export type StreamTarget = 'all' | 'user' | 'market' | (string & {});

export interface Connection {
  socket: WebSocket;
  kind: 'market' | 'api';
  /** /stream: payloads wrapped as {stream, data}. */
  combined: boolean;
  /** Market streams subscribed. */
  streams: Set<string>;
  /** User data subscription ids (WebSocket API). */
  userSubscriptions: Set<number>;
  stalled: boolean;
}

export interface ApiRequest {
  id: unknown;
  method: string;
  params: Record<string, unknown>;
}

export interface HubHandlers {
  /** Whether a market stream name is one the fake serves. */
  validStream(name: string): boolean;
  /** After a subscription: a stream with a current state (kline, ticker) sends it at once, as Binance does within a second or two. */
  onSubscribed(conn: Connection, stream: string): void;
  /** Answers one WebSocket API request: its `result`, or a thrown BinanceError. */
  apiRequest(conn: Connection, request: ApiRequest): unknown;
  /** Called before each message is handled, so exchange time is brought up to date. */
  beforeMessage(): void;
}

interface Waiter {
  target: string;
  resolve: () => void;
}

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly connections = new Set<Connection>();
  private waiters: Waiter[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextSubscriptionId = 0;

  constructor(private readonly handlers: HubHandlers) {}

  /** Takes over an HTTP upgrade request; false when its path is not a WebSocket endpoint of the fake. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    let conn: Omit<Connection, 'socket'>;
    const base = { streams: new Set<string>(), userSubscriptions: new Set<number>(), stalled: false };
    if (path === '/ws-api/v3') conn = { ...base, kind: 'api', combined: false };
    else if (path === '/ws' || path.startsWith('/ws/')) conn = { ...base, kind: 'market', combined: false };
    else if (path === '/stream') conn = { ...base, kind: 'market', combined: true };
    else return false;
    // Streams named in the URL (/ws/btcusdt@trade, /stream?streams=a/b); ccxt's /ws/0 names none.
    const named = path === '/stream' ? (url.searchParams.get('streams') ?? '') : path.slice('/ws/'.length);
    this.wss.handleUpgrade(req, socket, head, (socket) => {
      const connection: Connection = { ...conn, socket };
      this.connections.add(connection);
      socket.on('close', () => this.connections.delete(connection));
      socket.on('error', () => undefined);
      socket.on('ping', (data: Buffer) => {
        if (!connection.stalled) socket.pong(data);
      });
      socket.on('message', (data: RawData) => this.onMessage(connection, data));
      if (connection.kind === 'market') {
        for (const stream of named.split('/').filter((s) => s.includes('@') && this.handlers.validStream(s))) this.subscribe(connection, stream);
      }
    });
    return true;
  }

  /** Sends a market stream payload to every socket subscribed to `stream`. */
  publish(stream: string, data: unknown): void {
    for (const conn of this.connections) {
      if (conn.kind === 'market' && conn.streams.has(stream)) this.send(conn, conn.combined ? { stream, data } : data);
    }
  }

  /** Sends a user data event to every user data subscription. */
  publishUser(event: unknown): void {
    for (const conn of this.connections) {
      for (const subscriptionId of conn.userSubscriptions) this.send(conn, { subscriptionId, event });
    }
  }

  /** Whether any socket would receive `publish(stream)`: lets the fake skip building unwanted payloads. */
  hasSubscribers(stream: string): boolean {
    for (const conn of this.connections) if (conn.streams.has(stream)) return true;
    return false;
  }

  /** Every market stream some open socket is subscribed to. */
  streamsInUse(): Set<string> {
    const streams = new Set<string>();
    for (const conn of this.connections) for (const s of conn.streams) streams.add(s);
    return streams;
  }

  /** A new user data subscription on a WebSocket API socket; its id. */
  subscribeUser(conn: Connection): number {
    const id = this.nextSubscriptionId++;
    conn.userSubscriptions.add(id);
    this.notify();
    return id;
  }

  send(conn: Connection, message: unknown): void {
    if (conn.stalled || conn.socket.readyState !== conn.socket.OPEN) return;
    conn.socket.send(JSON.stringify(message));
  }

  /** Resolves once an open socket is subscribed to `stream` ('user': a user data subscription). */
  subscribed(stream: string): Promise<void> {
    if (this.isSubscribed(stream)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target: stream, resolve }));
  }

  /** Ends the target's sockets: abruptly (no close frame, as a lost connection) or with a close `code`. */
  drop(target: StreamTarget = 'all', options: { code?: number; reason?: string } = {}): number {
    const chosen = this.select(target);
    for (const conn of chosen) {
      this.connections.delete(conn);
      if (options.code === undefined) conn.socket.terminate();
      else conn.socket.close(options.code, options.reason ?? '');
    }
    return chosen.length;
  }

  /** The target's sockets stay open but get nothing, not even pongs, until resumed (or for `ms`). */
  stall(target: StreamTarget = 'all', options: { ms?: number } = {}): number {
    const chosen = this.select(target);
    for (const conn of chosen) conn.stalled = true;
    if (options.ms !== undefined) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        for (const conn of chosen) conn.stalled = false;
      }, options.ms);
      timer.unref();
      this.timers.add(timer);
    }
    return chosen.length;
  }

  /** Ends a stall; what was published meanwhile is lost, as it is when a real stream stalls. */
  resume(target: StreamTarget = 'all'): number {
    const chosen = [...this.connections].filter((c) => c.stalled && this.matches(c, target));
    for (const conn of chosen) conn.stalled = false;
    return chosen.length;
  }

  /** Open sockets: what each is, and what it is subscribed to. */
  list(): Array<{ kind: 'market' | 'api'; streams: string[]; user: boolean; stalled: boolean }> {
    return [...this.connections].map((c) => ({ kind: c.kind, streams: [...c.streams], user: c.userSubscriptions.size > 0, stalled: c.stalled }));
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const conn of this.connections) conn.socket.terminate();
    this.connections.clear();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private onMessage(conn: Connection, data: RawData): void {
    if (conn.stalled) return;
    this.handlers.beforeMessage();
    let message: { id?: unknown; method?: unknown; params?: unknown };
    try {
      message = JSON.parse(data.toString()) as typeof message;
    } catch {
      this.send(conn, conn.kind === 'api' ? apiError(null, 400, -1100, 'Malformed request.') : { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' } });
      return;
    }
    if (conn.kind === 'api') this.onApiRequest(conn, message);
    else this.onMarketRequest(conn, message);
  }

  private onMarketRequest(conn: Connection, message: { id?: unknown; method?: unknown; params?: unknown }): void {
    const id = message.id ?? null;
    const params = Array.isArray(message.params) ? message.params.map(String) : [];
    switch (message.method) {
      case 'SUBSCRIBE': {
        if (!params.every((s) => this.handlers.validStream(s))) {
          this.send(conn, { error: { code: 2, msg: 'Invalid request: invalid stream' }, id });
          return;
        }
        this.send(conn, { result: null, id });
        for (const stream of params) this.subscribe(conn, stream);
        return;
      }
      case 'UNSUBSCRIBE':
        for (const stream of params) conn.streams.delete(stream);
        this.send(conn, { result: null, id });
        return;
      case 'LIST_SUBSCRIPTIONS':
        this.send(conn, { result: [...conn.streams], id });
        return;
      default:
        this.send(conn, { error: { code: 2, msg: `Invalid request: unknown variant \`${String(message.method)}\`, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\`` }, id });
    }
  }

  private onApiRequest(conn: Connection, message: { id?: unknown; method?: unknown; params?: unknown }): void {
    const id = message.id ?? null;
    const params = typeof message.params === 'object' && message.params !== null ? (message.params as Record<string, unknown>) : {};
    try {
      const result = this.handlers.apiRequest(conn, { id, method: String(message.method), params });
      this.send(conn, { id, status: 200, result, rateLimits: [] });
    } catch (err) {
      if (err instanceof BinanceError) this.send(conn, apiError(id, err.status, err.code, err.message));
      else this.send(conn, apiError(id, 500, -1000, 'An unknown error occurred while processing the request.'));
    }
  }

  private subscribe(conn: Connection, stream: string): void {
    conn.streams.add(stream);
    this.notify();
    this.handlers.onSubscribed(conn, stream);
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => this.isSubscribed(w.target));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  private isSubscribed(target: string): boolean {
    for (const conn of this.connections) {
      if (target === 'user' ? conn.userSubscriptions.size > 0 : conn.streams.has(target)) return true;
    }
    return false;
  }

  private select(target: StreamTarget): Connection[] {
    return [...this.connections].filter((c) => this.matches(c, target));
  }

  private matches(conn: Connection, target: StreamTarget): boolean {
    if (target === 'all') return true;
    if (target === 'user') return conn.kind === 'api';
    if (target === 'market') return conn.kind === 'market';
    return conn.streams.has(target);
  }
}

function apiError(id: unknown, status: number, code: number, msg: string): unknown {
  return { id, status, error: { code, msg }, rateLimits: [] };
}
