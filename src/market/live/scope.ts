import type { Clock, Timer, TimerOptions } from '../../core/clock';

export const STOPPED: unique symbol = Symbol('stopped');
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * A clock whose timers all end with stop(), and a way to stop waiting on promises that may never settle
 * (a ccxt pro watch on a dead socket). The live loops await everything through one, so stop() ends them
 * at once and leaves no timer behind, not even one inside withRetries.
 */
export class Scope implements Clock {
  private readonly timers = new Set<Timer>();
  private readonly stopWaiters = new Set<() => void>();
  private isStopped = false;

  constructor(private readonly clock: Clock) {}

  get stopped(): boolean {
    return this.isStopped;
  }

  /** A scope that stops with this one, and can also be stopped on its own. */
  child(): Scope {
    const child = new Scope(this);
    if (this.isStopped) child.stop();
    else this.stopWaiters.add(() => child.stop());
    return child;
  }

  stop(): void {
    if (this.isStopped) return;
    this.isStopped = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    const waiters = [...this.stopWaiters];
    this.stopWaiters.clear();
    for (const waiter of waiters) waiter();
  }

  now(): number {
    return this.clock.now();
  }

  setTimeout(fn: () => void, ms: number, options?: TimerOptions): Timer {
    return this.track((done) => this.clock.setTimeout(() => (done(), fn()), ms, options));
  }

  setInterval(fn: () => void, ms: number, options?: TimerOptions): Timer {
    return this.track(() => this.clock.setInterval(fn, ms, options));
  }

  /** Waits `ms` on the clock; STOPPED as soon as the scope stops. */
  sleep(ms: number): Promise<void | typeof STOPPED> {
    return this.race(new Promise<void>((resolve) => this.setTimeout(resolve, ms)));
  }

  /**
   * The outcome of `promise`, or STOPPED when the scope stops first, or TIMED_OUT after `timeoutMs`. A
   * promise abandoned this way may still reject later: that rejection is swallowed, nobody waits for it.
   */
  race<T>(promise: Promise<T>): Promise<T | typeof STOPPED>;
  race<T>(promise: Promise<T>, timeoutMs: number | undefined): Promise<T | typeof STOPPED | typeof TIMED_OUT>;
  race<T>(promise: Promise<T>, timeoutMs?: number): Promise<T | typeof STOPPED | typeof TIMED_OUT> {
    promise.catch(() => undefined);
    if (this.isStopped) return Promise.resolve(STOPPED);
    // A listener removed once settled, not a race against one long-lived stop promise: that would keep a
    // reaction per wait (one per websocket message) alive until the process ends.
    return new Promise((resolve, reject) => {
      let timer: Timer | undefined;
      const settle = (): void => {
        this.stopWaiters.delete(onStop);
        timer?.cancel();
      };
      const onStop = (): void => {
        settle();
        resolve(STOPPED);
      };
      this.stopWaiters.add(onStop);
      if (timeoutMs !== undefined) {
        timer = this.setTimeout(() => {
          settle();
          resolve(TIMED_OUT);
        }, timeoutMs);
      }
      promise.then(
        (value) => {
          settle();
          resolve(value);
        },
        (err: unknown) => {
          settle();
          reject(err);
        },
      );
    });
  }

  private track(schedule: (done: () => void) => Timer): Timer {
    if (this.isStopped) return { cancel: () => undefined };
    let timer: Timer | undefined = undefined;
    const done = (): void => {
      if (timer) this.timers.delete(timer);
    };
    const scheduled = schedule(done);
    timer = { cancel: () => (scheduled.cancel(), done()) };
    this.timers.add(timer);
    return timer;
  }
}
