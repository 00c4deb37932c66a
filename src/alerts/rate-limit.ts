/**
 * No alert storms: the same alert (same key: the rule and its subject) goes out at most once per interval.
 * The first one goes at once; the ones after it within the interval are held back and counted, and when the
 * interval ends (`flush`, called on the clock at `nextDueAt()`) the last of them goes out once, carrying the
 * count. Plain data and time passed in: no timers here.
 */
export interface Limited<T> {
  item: T;
  /** Held back since the last one sent, summed up by this one; 0 for an ordinary alert. */
  suppressed: number;
}

interface KeyState<T> {
  sentAt: number;
  held: number;
  last: T | undefined;
}

export class RateLimiter<T> {
  private readonly keys = new Map<string, KeyState<T>>();
  /** Keys holding something back. */
  private holding = 0;

  constructor(private intervalMs: number) {}

  setInterval(intervalMs: number): void {
    this.intervalMs = intervalMs;
  }

  /** The item to send now, or undefined when it is held back. */
  offer(key: string, item: T, now: number): Limited<T> | undefined {
    const state = this.keys.get(key);
    if (state === undefined) {
      this.keys.set(key, { sentAt: now, held: 0, last: undefined });
      return { item, suppressed: 0 };
    }
    if (now - state.sentAt >= this.intervalMs) {
      // The interval ended before its flush ran: this one goes, and says what was held back.
      const suppressed = state.held;
      if (suppressed > 0) this.holding -= 1;
      state.sentAt = now;
      state.held = 0;
      state.last = undefined;
      return { item, suppressed };
    }
    if (state.held === 0) this.holding += 1;
    state.held += 1;
    state.last = item;
    return undefined;
  }

  /** The summaries due by `now`, one per key that held something back; keys idle for an interval are forgotten. */
  flush(now: number): Array<Limited<T>> {
    const out: Array<Limited<T>> = [];
    for (const [key, state] of this.keys) {
      if (now - state.sentAt < this.intervalMs) continue;
      if (state.held > 0 && state.last !== undefined) {
        out.push({ item: state.last, suppressed: state.held });
        this.holding -= 1;
        // The summary starts an interval of its own, so a storm that goes on sends one summary per interval.
        state.sentAt = now;
        state.held = 0;
        state.last = undefined;
      } else {
        this.keys.delete(key);
      }
    }
    return out;
  }

  /** When the next summary is due; undefined when nothing is held back. */
  nextDueAt(): number | undefined {
    if (this.holding === 0) return undefined;
    let next: number | undefined;
    for (const state of this.keys.values()) {
      if (state.held === 0) continue;
      const at = state.sentAt + this.intervalMs;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }
}
