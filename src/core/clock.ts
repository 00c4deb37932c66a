/**
 * Time for agents and domain code. Nothing outside this file reads the wall clock or sets a bare timer, so
 * a backtest can swap in the SimulatedClock and run a year of candles in seconds, and tests are deterministic.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  setInterval(fn: () => void, ms: number): Timer;
}

export interface SystemClockOptions {
  /** Timers that should not keep the process alive (heartbeats, watchers) pass false. */
  keepAlive?: boolean;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number, options: SystemClockOptions = {}): Timer {
    const handle = setTimeout(fn, ms);
    if (options.keepAlive === false) handle.unref();
    return { cancel: () => clearTimeout(handle) };
  }

  setInterval(fn: () => void, ms: number, options: SystemClockOptions = {}): Timer {
    const handle = setInterval(fn, ms);
    if (options.keepAlive === false) handle.unref();
    return { cancel: () => clearInterval(handle) };
  }
}
