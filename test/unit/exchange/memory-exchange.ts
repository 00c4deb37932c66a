import type { Clock, Timer } from '../../../src/core/clock';
import type { CandleExchange, OhlcvRow } from '../../../src/exchange/download-candles';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

/** `count` hourly rows from `start`, each with prices that identify it. */
export function hourlyRows(count: number, start = T0): OhlcvRow[] {
  return Array.from({ length: count }, (_, i): OhlcvRow => [start + i * HOUR, 100 + i, 101 + i, 99 + i, 100.5 + i, 10]);
}

/**
 * A CandleExchange over fixed rows that pages like Binance: rows opening at or after `since`, up to "now"
 * (the forming candle included), the first `limit` of them. `failNext` queues errors for the next calls.
 */
export class MemoryExchange implements CandleExchange {
  readonly id = 'memory';
  readonly calls: Array<{ since: number | undefined; limit: number | undefined }> = [];
  last_response_headers: Record<string, string> | undefined;
  private readonly failures: Array<{ error: Error; headers?: Record<string, string> }> = [];
  private failingAfter: { calls: number; error: Error } | undefined;

  constructor(
    private readonly rows: readonly OhlcvRow[],
    public now: number,
  ) {}

  /** Every call after the first `calls` fails with `error`. */
  failAfter(calls: number, error: Error): this {
    this.failingAfter = { calls, error };
    return this;
  }

  failNext(error: Error, headers?: Record<string, string>): this {
    this.failures.push({ error, ...(headers && { headers }) });
    return this;
  }

  async fetchTime(): Promise<number> {
    return this.now;
  }

  async fetchOHLCV(_symbol: string, _timeframe?: string, since?: number, limit?: number): Promise<OhlcvRow[]> {
    this.calls.push({ since, limit });
    if (this.failingAfter && this.calls.length > this.failingAfter.calls) throw this.failingAfter.error;
    const failure = this.failures.shift();
    if (failure) {
      this.last_response_headers = failure.headers;
      throw failure.error;
    }
    this.last_response_headers = {};
    return this.rows.filter((r) => r[0] >= (since ?? 0) && r[0] <= this.now).slice(0, limit ?? 500);
  }
}

/** A clock whose timers fire at once (on the next microtask), recording each wait: retries take no time. */
export class InstantClock implements Clock {
  readonly waits: number[] = [];
  private time: number;

  constructor(start = T0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    this.waits.push(ms);
    this.time += ms;
    void Promise.resolve().then(fn);
    return { cancel: () => undefined };
  }

  setInterval(): Timer {
    throw new Error('not used');
  }
}
