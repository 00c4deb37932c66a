/**
 * Delivery of one channel's POSTs, off the hot path: `send` only queues and returns. One request is in
 * flight at a time, in order; each has a timeout (AbortSignal, wall time: it bounds real I/O); a failure
 * (network error, timeout, 5xx, 429) is retried with exponential backoff on the clock, any other 4xx is not
 * (the request itself is wrong). The queue is bounded: when it is full the oldest entry is dropped and
 * counted, and that is logged once. Every text that leaves here (log lines) is scrubbed of the channel's
 * secrets, raw and URL-encoded: a fetch error may quote the URL, and Telegram's URL holds the token.
 */
import type { Clock, Timer } from '../core/clock';
import type { Logger } from '../logging/logger';
import { Redactor } from '../logging/redactor';

export interface HttpPost {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export interface HttpSenderOptions {
  /** The channel's name in log lines: "webhook", "telegram". */
  name: string;
  clock: Clock;
  log: Logger;
  timeoutMs: number;
  retries: number;
  /** The first retry's delay; each next one doubles it. */
  backoffMs?: number;
  queueSize?: number;
  /** Values never to show in a log line. */
  secrets: readonly string[];
  fetch?: FetchLike;
}

export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_QUEUE_SIZE = 100;

/** What a sender did so far, for tests and the shutdown line. */
export interface SenderCounts {
  sent: number;
  failed: number;
  dropped: number;
  retried: number;
}

export class HttpSender {
  private readonly queue: HttpPost[] = [];
  private busy = false;
  private stopped = false;
  /** After the stop's grace: nothing more happens, a late answer included. */
  private closed = false;
  private droppedLogged = false;
  private retryTimer: Timer | undefined;
  private inFlight: AbortController | undefined;
  private idle: Array<() => void> = [];
  private readonly redactor: Redactor;
  private readonly fetch: FetchLike;
  readonly counts: SenderCounts = { sent: 0, failed: 0, dropped: 0, retried: 0 };

  constructor(private readonly options: HttpSenderOptions) {
    this.redactor = new Redactor(options.secrets.flatMap((s) => (s ? [s, encodeURIComponent(s)] : [])));
    this.fetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  }

  /** Queues a POST and returns at once. */
  send(post: HttpPost): void {
    if (this.stopped) return;
    if (this.queue.length >= (this.options.queueSize ?? DEFAULT_QUEUE_SIZE)) {
      this.queue.shift();
      this.counts.dropped += 1;
      if (!this.droppedLogged) {
        this.droppedLogged = true;
        this.options.log.warn(`${this.options.name}: alerts are coming faster than they can be sent; dropping the oldest queued ones (counted at shutdown)`);
      }
    }
    this.queue.push(post);
    if (!this.busy) this.next();
  }

  /** Whether nothing is queued or in flight. */
  get drained(): boolean {
    return !this.busy && this.queue.length === 0;
  }

  /**
   * Stops taking alerts; what is queued or in flight gets up to `graceMs` (on the clock) to go out, a
   * retry waiting for its backoff is given up, and whatever is left after the grace is dropped.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.retryTimer?.cancel();
    if (this.retryTimer) {
      this.retryTimer = undefined;
      this.counts.dropped += 1;
      this.finish();
    }
    if (!this.drained) {
      await new Promise<void>((resolve) => {
        const timer = this.options.clock.setTimeout(resolve, graceMs, { keepAlive: false });
        this.idle.push(() => {
          timer.cancel();
          resolve();
        });
      });
    }
    this.closed = true;
    const left = this.queue.length + (this.busy ? 1 : 0);
    this.queue.length = 0;
    this.inFlight?.abort();
    this.counts.dropped += left;
    const { sent, failed, dropped } = this.counts;
    if (dropped > 0 || failed > 0) this.options.log.warn(`${this.options.name}: ${sent} alerts sent, ${failed} failed, ${dropped} dropped`);
  }

  private next(): void {
    const post = this.queue.shift();
    if (post === undefined) {
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    this.busy = true;
    this.attempt(post, 0);
  }

  private attempt(post: HttpPost, attempt: number): void {
    const controller = new AbortController();
    this.inFlight = controller;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([controller.signal, timeout]);
    this.fetch(post.url, { method: 'POST', headers: { ...post.headers }, body: post.body, signal })
      .then(async (response) => {
        if (this.closed) return;
        // Read the answer so the connection can be reused; what it says matters only on a failure.
        const text = await response.text().catch(() => '');
        if (this.closed) return;
        if (response.ok) {
          this.counts.sent += 1;
          return this.finish();
        }
        const reason = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
        if (response.status >= 400 && response.status < 500 && response.status !== 429) return this.giveUp(reason, attempt, false);
        this.retry(post, attempt, reason);
      })
      .catch((err: unknown) => {
        if (this.closed) return;
        const reason = timeout.aborted ? `no answer within ${this.options.timeoutMs} ms` : describeFetchError(err);
        this.retry(post, attempt, reason);
      });
  }

  private retry(post: HttpPost, attempt: number, reason: string): void {
    if (this.stopped || attempt >= this.options.retries) return this.giveUp(reason, attempt, true);
    const delay = (this.options.backoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** attempt;
    this.counts.retried += 1;
    this.options.log.debug(this.redactor.redact(`${this.options.name}: sending an alert failed (${reason}); retrying in ${delay} ms`));
    this.retryTimer = this.options.clock.setTimeout(
      () => {
        this.retryTimer = undefined;
        this.attempt(post, attempt + 1);
      },
      delay,
      { keepAlive: false },
    );
  }

  private giveUp(reason: string, attempt: number, retryable: boolean): void {
    this.counts.failed += 1;
    const tries = retryable ? ` after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}` : ' (not retried)';
    if (!this.stopped) this.options.log.warn(this.redactor.redact(`${this.options.name}: could not send an alert${tries}: ${reason}`));
    this.finish();
  }

  private finish(): void {
    this.busy = false;
    this.inFlight = undefined;
    if (this.stopped && this.queue.length === 0) {
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    this.next();
  }
}

/**
 * Node's fetch says "fetch failed" and puts the reason (ECONNREFUSED, ...) in `cause`. Duck-typed: the
 * error may come from another realm (undici's), where `instanceof Error` does not hold.
 */
function describeFetchError(err: unknown): string {
  const messageOf = (value: unknown): string | undefined =>
    typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' ? (value as { message: string }).message : undefined;
  const message = messageOf(err);
  if (message === undefined) return String(err);
  const cause = messageOf((err as { cause?: unknown }).cause);
  return cause ? `${message}: ${cause}` : message;
}
