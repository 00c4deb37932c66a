import type { TradingState } from '../trading-state';
import type { Protection, ProtectionName } from './protection';

/**
 * A hold set by hand rather than by figures: an operator's pause of entries ('operator', reducing: exits
 * still go) or the supervisor's safe mode ('safe-mode', halted). It holds until it is let go.
 */
export class ManualHold implements Protection {
  state: TradingState = 'active';
  reason = '';

  constructor(
    readonly name: ProtectionName,
    private readonly holds: TradingState,
  ) {}

  get on(): boolean {
    return this.state !== 'active';
  }

  /** `why`: the sentence the refusals quote while it holds, or says it let go. */
  set(on: boolean, why: string): void {
    if (on === this.on) return;
    this.state = on ? this.holds : 'active';
    this.reason = why;
  }
}
