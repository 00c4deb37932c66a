import type { TradingState } from '../trading-state';
import type { Protection } from './protection';

/**
 * `risk.killSwitch.file`: while the flag file exists (the `halt` command writes it), nothing trades; once it
 * is gone (`resume`), the switch lets go. The agent looks for the file; this only keeps the verdict.
 */
export class KillSwitch implements Protection {
  readonly name = 'kill-switch';
  state: TradingState = 'active';
  reason = '';

  /** `where`: what flipped it, for the reason (the flag file's name). */
  set(on: boolean, where: string): void {
    if (on === (this.state === 'halted')) return;
    this.state = on ? 'halted' : 'active';
    this.reason = on ? `the kill switch is on (${where} exists)` : `the kill switch is off (${where} is gone)`;
  }

  get on(): boolean {
    return this.state === 'halted';
  }
}
