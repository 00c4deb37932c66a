/**
 * Time for agents and domain code. Nothing outside this file reads the wall clock or sets a bare timer, so
 * a backtest can swap in the SimulatedClock and run a year of candles in seconds, and tests are deterministic.
 */
export interface Timer {
  cancel(): void;
}

export interface TimerOptions {
  /** Housekeeping timers (heartbeats, watchdogs) pass false so they never keep the process alive. */
  keepAlive?: boolean;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): Timer;
  setInterval(fn: () => void, ms: number, options?: TimerOptions): Timer;
  /**
   * Runs `fn` as soon as the event loop has handled what is waiting (I/O first), without the 1 ms floor of a
   * zero timeout. Clocks without it (the simulated one) use setTimeout(fn, 0).
   */
  setImmediate?(fn: () => void): Timer;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number, options: TimerOptions = {}): Timer {
    const handle = setTimeout(fn, ms);
    if (options.keepAlive === false) handle.unref();
    return { cancel: () => clearTimeout(handle) };
  }

  setInterval(fn: () => void, ms: number, options: TimerOptions = {}): Timer {
    const handle = setInterval(fn, ms);
    if (options.keepAlive === false) handle.unref();
    return { cancel: () => clearInterval(handle) };
  }

  setImmediate(fn: () => void): Timer {
    const handle = setImmediate(fn);
    return { cancel: () => clearImmediate(handle) };
  }
}
