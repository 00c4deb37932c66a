export interface StaleGuardOptions {
  timeframeMs: number;
  /** The shortest silence ever called stale, so a fast poll or a burst of ticks does not make it twitchy. */
  floorMs: number;
  /**
   * How often updates normally arrive. Default: the timeframe, all a feed of candles alone promises. A
   * feed that also answers in between (REST polls, trades) passes its shorter interval, so an outage shows
   * in a minute rather than in three candle periods.
   */
  expectedIntervalMs?: number;
}

export type StaleTransition =
  | { kind: 'stale'; symbol: string; lastUpdate: number; thresholdMs: number }
  /** `staleForMs`: from the last update before the silence to the first one after it. */
  | { kind: 'resumed'; symbol: string; staleForMs: number };

interface SymbolState {
  lastUpdate: number;
  /** The last update before the silence, while the symbol is stale. */
  silentSince: number | undefined;
  /** The first update after the silence, until check() reports it. */
  resumedAt: number | undefined;
}

/**
 * Tells when a symbol's data stopped arriving and when it came back. Pure: the caller says what time it is,
 * so it runs the same on the system clock and in tests.
 */
export class StaleGuard {
  /** A symbol is stale once its last update is older than this: three missed updates, at least the floor. */
  readonly thresholdMs: number;
  private readonly states = new Map<string, SymbolState>();

  constructor(options: StaleGuardOptions) {
    this.thresholdMs = Math.max(3 * (options.expectedIntervalMs ?? options.timeframeMs), options.floorMs);
  }

  /** Records an update; the first one starts the watch, so a symbol that never delivers after it goes stale too. */
  update(symbol: string, now: number): void {
    const state = this.states.get(symbol);
    if (!state) {
      this.states.set(symbol, { lastUpdate: now, silentSince: undefined, resumedAt: undefined });
      return;
    }
    state.lastUpdate = now;
    if (state.silentSince !== undefined && state.resumedAt === undefined) state.resumedAt = now;
  }

  /** Stops watching a symbol whose feed has ended for good. */
  forget(symbol: string): void {
    this.states.delete(symbol);
  }

  /** Symbols that became stale or resumed since the last check, in the order they were first updated. */
  check(now: number): StaleTransition[] {
    const transitions: StaleTransition[] = [];
    for (const [symbol, state] of this.states) {
      if (state.silentSince !== undefined) {
        if (state.resumedAt === undefined) continue;
        transitions.push({ kind: 'resumed', symbol, staleForMs: state.resumedAt - state.silentSince });
        state.silentSince = undefined;
        state.resumedAt = undefined;
      } else if (now - state.lastUpdate > this.thresholdMs) {
        state.silentSince = state.lastUpdate;
        transitions.push({ kind: 'stale', symbol, lastUpdate: state.lastUpdate, thresholdMs: this.thresholdMs });
      }
    }
    return transitions;
  }
}
