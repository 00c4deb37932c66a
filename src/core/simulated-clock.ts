import type { Clock, Timer } from './clock';
import { MinHeap } from './min-heap';

interface ScheduledTimer {
  due: number;
  /** Breaks ties so timers due at the same instant fire in the order they were set. */
  seq: number;
  fn: () => void;
  repeatMs: number | undefined;
  canceled: boolean;
}

const byDueThenSeq = (a: ScheduledTimer, b: ScheduledTimer): number => a.due - b.due || a.seq - b.seq;

/**
 * Virtual time. It only moves when told to; timers fire in time order, and while a timer runs `now()` is
 * the time it was due, exactly as if that much wall time had passed.
 */
export class SimulatedClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new MinHeap<ScheduledTimer>(byDueThenSeq);

  constructor(startMs = 0) {
    assertFiniteTime(startMs, 'start time');
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): Timer {
    if (!(ms > 0)) throw new Error(`SimulatedClock.setInterval needs a positive interval, got ${ms} ms`);
    return this.schedule(fn, ms, ms);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`SimulatedClock cannot advance by ${ms} ms`);
    this.advanceTo(this.current + ms);
  }

  /** Moves time forward to `targetMs`, firing every timer due at or before it. Time never goes back. */
  advanceTo(targetMs: number): void {
    assertFiniteTime(targetMs, 'target time');
    if (targetMs < this.current) {
      throw new Error(`SimulatedClock cannot go back in time from ${this.current} to ${targetMs}`);
    }
    for (let next = this.timers.peek(); next && next.due <= targetMs; next = this.timers.peek()) {
      this.timers.pop();
      if (next.canceled) continue;
      this.current = next.due;
      if (next.repeatMs !== undefined) {
        next.due += next.repeatMs;
        next.seq = this.seq++;
        this.timers.push(next);
      }
      next.fn();
    }
    this.current = targetMs;
  }

  /** Same as advanceTo; reads better when a replay sets the clock to a candle's time. */
  set(targetMs: number): void {
    this.advanceTo(targetMs);
  }

  /** Timers still waiting to fire (canceled ones excluded). */
  pendingTimers(): number {
    return this.timers.toArray().filter((t) => !t.canceled).length;
  }

  private schedule(fn: () => void, ms: number, repeatMs: number | undefined): Timer {
    const timer: ScheduledTimer = { due: this.current + Math.max(0, ms), seq: this.seq++, fn, repeatMs, canceled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.canceled = true;
      },
    };
  }
}

function assertFiniteTime(ms: number, what: string): void {
  if (!Number.isFinite(ms)) throw new Error(`SimulatedClock ${what} must be a finite number of ms, got ${ms}`);
}
