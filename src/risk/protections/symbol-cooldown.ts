import { money, utcMinute } from '../format-figures';

interface Cooling {
  until: number;
  pnl: number;
  exitTime: number;
}

export type SymbolCooldownState = Record<string, Cooling>;

const MINUTE_MS = 60_000;

/**
 * `risk.cooldownAfterLossMin`: a symbol whose trade closed at a loss takes no entry for that many minutes
 * after the exit. It holds back one symbol, not trading as a whole, so it is a refusal, not a state.
 */
export class SymbolCooldown {
  private readonly cooling = new Map<string, Cooling>();

  constructor(private minutes: number) {}

  setMinutes(minutes: number): void {
    this.minutes = minutes;
    if (minutes <= 0) this.cooling.clear();
  }

  closed(symbol: string, pnl: number, exitTime: number): void {
    if (this.minutes <= 0 || pnl >= 0) return;
    this.cooling.set(symbol, { until: exitTime + this.minutes * MINUTE_MS, pnl, exitTime });
  }

  /** Why `symbol` takes no entry at `now`, or undefined when it may. */
  refusal(symbol: string, now: number, quote: string): string | undefined {
    // The one check per entry while nothing cools down.
    if (this.cooling.size === 0) return undefined;
    const c = this.cooling.get(symbol);
    if (c === undefined) return undefined;
    if (now >= c.until) {
      this.cooling.delete(symbol);
      return undefined;
    }
    return (
      `entry in ${symbol} refused: its last trade lost ${money(-c.pnl)} ${quote} at ${utcMinute(c.exitTime)}, ` +
      `so it cools down for ${this.minutes} min, until ${utcMinute(c.until)}`
    );
  }

  snapshot(): SymbolCooldownState {
    return Object.fromEntries(this.cooling);
  }

  restore(saved: SymbolCooldownState): void {
    for (const [symbol, c] of Object.entries(saved)) this.cooling.set(symbol, { ...c });
  }
}
