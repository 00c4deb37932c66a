import { MarketDataGuard, type DataProblem } from '../../../../src/market/data-guard';
import type { LiveFeedHandlers, ResumedNotice, StaleNotice } from '../../../../src/market/live/types';
import type { Candle, MarketEvent, Tick } from '../../../../src/market/types';

/** Handlers that keep everything the source reports. */
export class Recorder implements LiveFeedHandlers {
  readonly events: MarketEvent[] = [];
  readonly notices: Array<{ level: 'info' | 'warn'; message: string }> = [];
  readonly stale: StaleNotice[] = [];
  readonly resumed: ResumedNotice[] = [];
  readonly failed: Array<{ symbol: string; error: Error }> = [];

  onEvents(events: MarketEvent[]): void {
    this.events.push(...events);
  }

  onStale(notice: StaleNotice): void {
    this.stale.push(notice);
  }

  onResumed(notice: ResumedNotice): void {
    this.resumed.push(notice);
  }

  onNotice(level: 'info' | 'warn', message: string): void {
    this.notices.push({ level, message });
  }

  onSymbolFailed(symbol: string, error: Error): void {
    this.failed.push({ symbol, error });
  }

  candles(symbol?: string): Candle[] {
    return this.events.flatMap((e) => (e.kind === 'candle' && (symbol === undefined || e.candle.symbol === symbol) ? [e.candle] : []));
  }

  ticks(symbol?: string): Tick[] {
    return this.events.flatMap((e) => (e.kind === 'tick' && (symbol === undefined || e.tick.symbol === symbol) ? [e.tick] : []));
  }

  /** What the DataAgent's guard would refuse of the events, in order (none, for a well-behaved source). */
  refusedByGuard(): DataProblem[] {
    const guard = new MarketDataGuard();
    return this.events.flatMap((e) => {
      const problem = e.kind === 'tick' ? guard.checkTick(e.tick) : guard.checkCandle(e.candle);
      return problem ? [problem] : [];
    });
  }

  warnings(): string[] {
    return this.notices.filter((n) => n.level === 'warn').map((n) => n.message);
  }
}
