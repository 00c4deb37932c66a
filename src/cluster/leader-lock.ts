import type { Redis } from 'ioredis';
import type { Clock, Timer } from '../core/clock';
import { errorMessage } from '../core/errors';

export interface LeaderLockOptions {
  /** An ioredis client; the lock sends one command per renewal on it. */
  redis: Redis;
  /** E.g. 'bot:leader:trade'; the fencing counter lives at `${key}:fence`. */
  key: string;
  /** This process's unique id: the lock's value, so only we can renew or release it. */
  owner: string;
  /** The lock's lifetime in whole ms; renewed every ttlMs/3. */
  ttlMs: number;
  clock: Clock;
  /** Renewal found the lock gone or someone else's, or could not reach Redis for longer than ttlMs. */
  onLost?: (reason: string) => void;
}

// Taking the lock and bumping the counter in one script: a leader that crashed between the two would
// otherwise hold the lock with the previous leader's token, and its writes would pass as the old leader's.
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  return 0
end`;

const IS_CURRENT = `
if redis.call('GET', KEYS[1]) == ARGV[1] and redis.call('GET', KEYS[2]) == ARGV[2] then
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** One spell as leader: what renewal needs, and what a late reply checks it still belongs to. */
interface Term {
  token: number;
  renewer: Timer;
  /** When the last renewal that succeeded was sent: the lock lives at least ttlMs from then. */
  renewedSince: number;
  renewing: boolean;
}

/**
 * One leader at a time among processes sharing a Redis, with a fencing token: a number that grows with every
 * new leader, so whatever the leader writes to can refuse a deposed leader that has not noticed yet.
 */
export class LeaderLock {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly fenceKey: string;
  private readonly owner: string;
  private readonly ttlMs: number;
  private readonly clock: Clock;
  private readonly onLost: ((reason: string) => void) | undefined;
  private term: Term | undefined;
  /** Bumped by release, so an acquire under way when it came does not take the lock afterwards. */
  private releases = 0;

  constructor(options: LeaderLockOptions) {
    if (!Number.isInteger(options.ttlMs) || options.ttlMs <= 0) {
      throw new Error(`LeaderLock ttlMs must be a positive whole number of ms, got ${options.ttlMs}.`);
    }
    this.redis = options.redis;
    this.key = options.key;
    this.fenceKey = `${options.key}:fence`;
    this.owner = options.owner;
    this.ttlMs = options.ttlMs;
    this.clock = options.clock;
    this.onLost = options.onLost;
  }

  /** The fencing token while leader. */
  get token(): number | undefined {
    return this.term?.token;
  }

  /** Takes the lock if free and starts renewing it; the new token, or undefined when another holds it. */
  async tryAcquire(): Promise<number | undefined> {
    if (this.term) return this.term.token;
    const releases = this.releases;
    const sentAt = this.clock.now();
    const reply = await this.redis.eval(ACQUIRE, 2, this.key, this.fenceKey, this.owner, this.ttlMs);
    // Held already: by another, or by us through a tryAcquire that overlapped this one.
    if (reply === null || reply === undefined) return this.token;
    // Release's delete went out after our SET, on the same connection, so Redis has already undone this win.
    if (releases !== this.releases) return undefined;
    const token = Number(reply);
    this.term = { token, renewer: this.startRenewing(), renewedSince: sentAt, renewing: false };
    return token;
  }

  /**
   * Waits until this process is leader, trying every pollMs (ttlMs/3 unless told) and through Redis errors,
   * since a standby must outlast a Redis restart. Rejects when `signal` aborts or release is called first.
   */
  async acquire(options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<number> {
    const pollMs = options.pollMs ?? this.ttlMs / 3;
    const { signal } = options;
    const releases = this.releases;
    for (;;) {
      this.throwIfStopped(signal, releases);
      const attempt = this.tryAcquire().catch(() => undefined);
      // A client stuck reconnecting can hold a command for good; the abort must not wait for it.
      const token = await untilAborted(attempt, signal);
      if (signal?.aborted || releases !== this.releases) {
        // Nobody waits for this win any more; holding it would only keep the standbys out.
        void attempt.then((won) => (won === undefined ? undefined : this.release().catch(() => undefined)));
        this.throwIfStopped(signal, releases);
      }
      if (token !== undefined) return token;
      await this.pause(pollMs, signal);
    }
  }

  /** True only while the lock is ours and no leader has come after the one `token` was given to. */
  async isCurrent(token: number): Promise<boolean> {
    const reply = await this.redis.eval(IS_CURRENT, 2, this.key, this.fenceKey, this.owner, String(token));
    return reply === 1;
  }

  /** Stops renewing, and deletes the lock if it is still ours, so a standby need not wait out the ttl. */
  async release(): Promise<void> {
    this.releases++;
    this.endTerm();
    await this.redis.eval(RELEASE, 1, this.key, this.owner);
  }

  private startRenewing(): Timer {
    // Housekeeping: the lock is no reason for the process to stay up.
    return this.clock.setInterval(() => this.renew(), this.ttlMs / 3, { keepAlive: false });
  }

  private renew(): void {
    const term = this.term;
    if (!term) return;
    const silentMs = this.clock.now() - term.renewedSince;
    if (silentMs > this.ttlMs) {
      this.lose(term, `the leader lock ${this.key} could not be renewed for ${silentMs} ms, longer than its ${this.ttlMs} ms ttl`);
      return;
    }
    // A renewal still waiting for its reply is not doubled; the check above still runs every tick.
    if (term.renewing) return;
    term.renewing = true;
    const sentAt = this.clock.now();
    this.redis.eval(RENEW, 1, this.key, this.owner, this.ttlMs).then(
      (reply) => {
        term.renewing = false;
        if (this.term !== term) return;
        if (reply === 1) term.renewedSince = sentAt;
        else this.lose(term, `the leader lock ${this.key} was gone or held by another when renewed`);
      },
      // Retried at the next tick; too long without success is caught by the check above.
      () => {
        term.renewing = false;
      },
    );
  }

  private lose(term: Term, reason: string): void {
    if (this.term !== term) return;
    this.endTerm();
    this.onLost?.(reason);
  }

  private endTerm(): void {
    this.term?.renewer.cancel();
    this.term = undefined;
  }

  private throwIfStopped(signal: AbortSignal | undefined, releases: number): void {
    if (signal?.aborted) throw new Error(`Stopped waiting for the leader lock ${this.key}: the wait was aborted.`);
    if (releases !== this.releases) throw new Error(`Stopped waiting for the leader lock ${this.key}: it was released.`);
  }

  /** Sleeps `ms`, or less when `signal` aborts, leaving no timer behind. */
  private pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        timer.cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** Settles like `work`, or resolves undefined as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
