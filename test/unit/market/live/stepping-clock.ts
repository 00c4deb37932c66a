import type { Timer } from '../../../../src/core/clock';
import { SimulatedClock } from '../../../../src/core/simulated-clock';

/** Lets every pending promise continuation run (the fakes resolve on microtasks, nothing waits on I/O). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface Entry {
  due: number;
}

/**
 * A SimulatedClock that can run async code: runTo() stops at each timer's due time and lets the
 * continuations it triggers run before moving on, so a chain of awaits and timers happens at the virtual
 * times it would in real life.
 */
export class SteppingClock extends SimulatedClock {
  private readonly entries = new Set<Entry>();

  override setTimeout(fn: () => void, ms: number): Timer {
    const entry: Entry = { due: this.now() + Math.max(0, ms) };
    this.entries.add(entry);
    const timer = super.setTimeout(() => {
      this.entries.delete(entry);
      fn();
    }, ms);
    return { cancel: () => (timer.cancel(), this.entries.delete(entry)) };
  }

  override setInterval(fn: () => void, ms: number): Timer {
    const entry: Entry = { due: this.now() + ms };
    this.entries.add(entry);
    const timer = super.setInterval(() => {
      entry.due += ms;
      fn();
    }, ms);
    return { cancel: () => (timer.cancel(), this.entries.delete(entry)) };
  }

  async runTo(target: number): Promise<void> {
    for (;;) {
      await flush();
      const next = Math.min(...[...this.entries].map((e) => e.due));
      if (!(next <= target)) break;
      this.advanceTo(Math.max(next, this.now()));
    }
    this.advanceTo(target);
    await flush();
  }

  async run(ms: number): Promise<void> {
    await this.runTo(this.now() + ms);
  }
}
