/**
 * Scripted failures of the fake exchange: each test says which requests fail and how, and the fake answers
 * exactly as Binance does in that situation (status, headers, JSON error body), so what is tested is how
 * ccxt and the bot react to the real thing.
 */

/**
 * `processed` (server errors and timeouts): whether the exchange still carries out the request behind the
 * failure. Binance says a 5xx or a timeout leaves the outcome unknown: an order may or may not have been
 * placed (or canceled). With `processed: true` the request is carried out in full, its user data stream
 * events included, and only its answer is replaced by the failure.
 *
 * Faults also apply to WebSocket handshakes, matched as a GET of the socket's path ('/ws/0', '/ws-api/v3'):
 * a server error refuses the connection, a timeout leaves it hanging. Faults of an open socket (dropped,
 * stalled) are `fake.streams` methods instead, as they come from no request.
 */
export type Fault =
  /** HTTP 429 with Retry-After and {code:-1003}: too much request weight used. */
  | { type: 'rate-limit'; retryAfterSec?: number }
  /** HTTP 418 with Retry-After and {code:-1003}: the IP is banned for ignoring 429s. */
  | { type: 'ip-ban'; retryAfterSec?: number }
  /** HTTP 500 ({code:-1000}), 502 (a gateway's HTML page) or 503 (plain text). */
  | { type: 'server-error'; status?: 500 | 502 | 503; processed?: boolean }
  /** The request is accepted and never answered; the client gives up on its own timeout. */
  | { type: 'timeout'; processed?: boolean }
  /** HTTP 400 {code:-1021}: the request's timestamp is outside the recvWindow. */
  | { type: 'timestamp' }
  /** HTTP 400 {code:-1013, msg:"Filter failure: <filter>"}, whatever the order; default NOTIONAL. Nothing is placed. */
  | { type: 'filter-failure'; filter?: string }
  /**
   * Not a failure: the request is carried out and its user data stream events (an order's fills) are sent
   * before the answer, which follows `delayMs` later (default 100), so a client sees the fill first.
   */
  | { type: 'stream-before-ack'; delayMs?: number }
  /** Not a failure: the exchange, under load, carries out the request and answers only `delayMs` after it came. */
  | { type: 'slow'; delayMs: number };

export interface FaultMatch {
  /** The request path, e.g. '/api/v3/klines'; a RegExp is tested against the path. Any path when absent. */
  path?: string | RegExp;
  /** 'GET', 'POST'...; any method when absent. */
  method?: string;
  /** Query parameters the request must have, with these values, e.g. { startTime: '1704067200000' }. */
  query?: Record<string, string>;
}

export interface FaultRule {
  match?: FaultMatch;
  /** How many matching requests fail; default 1. */
  times?: number;
  fault: Fault;
}

interface ActiveRule {
  match: FaultMatch;
  remaining: number;
  fault: Fault;
}

export class FaultScript {
  private rules: ActiveRule[] = [];

  /** Makes the next `times` requests that match fail with `fault`. Rules apply in the order they were given. */
  next(rule: FaultRule): this {
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    this.rules.push({ match: rule.match ?? {}, remaining: times, fault: rule.fault });
    return this;
  }

  /** The fault for this request, if a rule matches; uses up one of that rule's times. */
  take(method: string, path: string, query: Readonly<Record<string, string>> = {}): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && matches(r.match, method, path, query));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule.fault;
  }

  /** Faults still waiting for a request. */
  pending(): number {
    return this.rules.reduce((n, r) => n + r.remaining, 0);
  }

  clear(): void {
    this.rules = [];
  }
}

function matches(match: FaultMatch, method: string, path: string, query: Readonly<Record<string, string>>): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.query !== undefined && !Object.entries(match.query).every(([key, value]) => query[key] === value)) return false;
  if (match.path === undefined) return true;
  if (typeof match.path === 'string') return match.path === path;
  // A /g or /y RegExp remembers where it last matched; every request is matched afresh.
  match.path.lastIndex = 0;
  return match.path.test(path);
}
