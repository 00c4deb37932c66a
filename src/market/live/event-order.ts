import type { Candle, MarketEvent, Tick } from '../types';

/**
 * Candles and ticks of one symbol as one time-ordered batch. A candle happens when it closes (open time +
 * period), so the ticks of its period come before it and a tick at its exact close time after it.
 */
export function inTimeOrder(candles: readonly Candle[], ticks: readonly Tick[], periodMs: number): MarketEvent[] {
  const keyed = [
    ...candles.map((candle) => ({ at: candle.time + periodMs, rank: 0, event: { kind: 'candle', candle } as MarketEvent })),
    ...ticks.map((tick) => ({ at: tick.time, rank: 1, event: { kind: 'tick', tick } as MarketEvent })),
  ];
  keyed.sort((a, b) => a.at - b.at || a.rank - b.rank);
  return keyed.map((k) => k.event);
}
