import { DDoSProtection, RateLimitExceeded } from 'ccxt';
import type { Clock } from '../../core/clock';

export interface RequestGateOptions {
  /** What the exchange's last response said in Retry-After, if anything. */
  retryAfterHeader: () => string | undefined;
  /** Pause after a 429/418 that came without a usable Retry-After. */
  fallbackMs: number;
}

/** Resolves after `ms` of the clock's time. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  // Never what keeps a process alive: a bot that is stopping must not wait out a backoff.
  return new Promise((resolve) => clock.setTimeout(resolve, Math.max(0, ms), { keepAlive: false }));
}

/**
 * One "not before" time for every request the broker makes. Binance counts weight per IP and orders per
 * account, not per endpoint: after a 429 any request before Retry-After counts against us, and going on
 * after 429s turns them into a 418 IP ban that grows from 2 minutes to 3 days. So a 429 on a balance read
 * also holds back the next order and the next poll.
 */
/** Thrown by a closed gate: the broker stopped, and work still under way ends instead of asking again. */
export class BrokerStopped extends Error {
  constructor() {
    super('the live broker has stopped');
    this.name = 'BrokerStopped';
  }
}

export class RequestGate {
  private openAt = -Infinity;
  private closedForGood = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: RequestGateOptions,
  ) {}

  /** Milliseconds until requests may go out again; 0 when open. */
  waitMs(): number {
    return Math.max(0, this.openAt - this.clock.now());
  }

  /** Keeps requests back until `time` at least; an earlier time never shortens a longer hold. */
  holdUntil(time: number): void {
    this.openAt = Math.max(this.openAt, time);
  }

  /** No request goes out any more: a stopped bot leaves nothing running against the exchange. */
  close(): void {
    this.closedForGood = true;
  }

  get closed(): boolean {
    return this.closedForGood;
  }

  /** Waits for the gate, runs `request`, and closes the gate when the answer is a 429 or 418. */
  async run<T>(request: () => Promise<T>): Promise<T> {
    // A loop: another request's 429 may extend the hold while this one waits.
    for (let wait = this.waitMs(); wait > 0 && !this.closedForGood; wait = this.waitMs()) await sleep(this.clock, wait);
    if (this.closedForGood) throw new BrokerStopped();
    try {
      return await request();
    } catch (err) {
      if (isRateLimit(err)) this.holdUntil(this.clock.now() + (this.retryAfterMs() ?? this.options.fallbackMs));
      throw err;
    }
  }

  /** Retry-After as delta-seconds or an HTTP date (RFC 9110). */
  private retryAfterMs(): number | undefined {
    const value = this.options.retryAfterHeader()?.trim();
    if (value === undefined || value === '') return undefined;
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isFinite(date) ? Math.max(0, date - this.clock.now()) : undefined;
  }
}

/** ccxt's binance raises DDoSProtection for HTTP 429 and 418, RateLimitExceeded for -1003 and -1015. */
export function isRateLimit(err: unknown): boolean {
  return err instanceof DDoSProtection || err instanceof RateLimitExceeded;
}
