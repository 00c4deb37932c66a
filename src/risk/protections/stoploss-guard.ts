import { utcMinute } from '../format-figures';
import type { TradingState } from '../trading-state';
import type { Protection } from './protection';

export interface StoplossGuardSettings {
  /** Stop-losses that pause entries; 0: off. */
  count: number;
  windowMin: number;
  pauseMin: number;
}

export interface StoplossGuardState {
  /** Exit times of the stop-losses still inside the window. */
  stops: number[];
  /** End of the pause; 0: none. */
  until: number;
}

/** The exit reasons that count as a stop-loss: a trailing stop is one too. */
const STOP_REASONS: ReadonlySet<string> = new Set(['stop-loss', 'trailing-stop']);

const MINUTE_MS = 60_000;

/**
 * `risk.stoplossGuard`: `count` stop-losses (any symbol) whose exits lie within `windowMin` minutes pause
 * entries (reducing) for `pauseMin` minutes from the last of them. The stops that caused a pause are spent
 * by it, so the pause's end does not start another on the same stops.
 */
export class StoplossGuard implements Protection {
  readonly name = 'stoploss-guard';
  state: TradingState = 'active';
  reason = '';
  private stops: number[] = [];
  private until = 0;

  constructor(private settings: StoplossGuardSettings) {}

  configure(settings: StoplossGuardSettings): void {
    this.settings = settings;
    if (settings.count <= 0) this.stops = [];
    if (this.state === 'reducing' && settings.count <= 0) this.release('the stop-loss guard was turned off');
  }

  /** A closed trade: counts when it ended on a stop. */
  closed(exitReason: string, exitTime: number): void {
    const { count, windowMin, pauseMin } = this.settings;
    if (count <= 0 || !STOP_REASONS.has(exitReason)) return;
    const from = exitTime - windowMin * MINUTE_MS;
    this.stops = this.stops.filter((t) => t >= from);
    this.stops.push(exitTime);
    if (this.stops.length < count || this.state !== 'active') return;
    this.until = exitTime + pauseMin * MINUTE_MS;
    this.state = 'reducing';
    this.reason =
      `${this.stops.length} stop-losses within ${windowMin} min, the last at ${utcMinute(exitTime)} (limit ${count}); ` +
      `entries resume at ${utcMinute(this.until)}`;
    this.stops = [];
  }

  tick(time: number): void {
    if (this.state === 'reducing' && time >= this.until) {
      this.release(`the ${this.settings.pauseMin} min pause after ${this.settings.count} stop-losses ended at ${utcMinute(this.until)}`);
    }
  }

  /** When the clock next matters here. */
  get wakeAt(): number {
    return this.state === 'reducing' ? this.until : Number.POSITIVE_INFINITY;
  }

  snapshot(): StoplossGuardState {
    return { stops: [...this.stops], until: this.state === 'reducing' ? this.until : 0 };
  }

  restore(saved: StoplossGuardState): void {
    this.stops = [...saved.stops];
    if (saved.until > 0) {
      this.until = saved.until;
      this.state = 'reducing';
      this.reason = `${this.settings.count} stop-losses paused entries before the restart; entries resume at ${utcMinute(saved.until)}`;
    }
  }

  private release(reason: string): void {
    this.state = 'active';
    this.reason = reason;
    this.until = 0;
  }
}
