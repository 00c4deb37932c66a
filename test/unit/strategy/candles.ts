import type { Candle } from '../../../src/market/types';
import type { Intent, ParamSpecs, ParamValues, StrategyContext, StrategyDefinition } from '../../../src/strategy/types';

const MINUTE = 60_000;

/** One-minute candles whose close is each given price, from 2024-01-01 00:00 UTC. */
export function candlesFromCloses(closes: readonly number[], symbol = 'BTC/USDT'): Candle[] {
  const start = Date.UTC(2024, 0, 1);
  return closes.map((close, i) => ({ symbol, timeframe: '1m', time: start + i * MINUTE, open: close, high: close, low: close, close, volume: 1 }));
}

export interface Decision {
  /** 1-based, as StrategyContext.candleCount. */
  candle: number;
  intent: Intent;
}

/**
 * Feeds closes to one instance of a definition, holding a position between an
 * enter and the next exit like the portfolio would, and returns every intent that is not 'none'.
 */
export function decisionsOn(definition: StrategyDefinition, params: ParamValues<ParamSpecs>, closes: readonly number[]): Decision[] {
  const instance = definition.create(params);
  let position: StrategyContext['position'];
  const decisions: Decision[] = [];
  candlesFromCloses(closes).forEach((candle, i) => {
    const intent = instance.onCandle(candle, testContext(candle, position, i + 1));
    if (intent.action === 'none') return;
    decisions.push({ candle: i + 1, intent });
    position = intent.action === 'enter' ? { qty: 1, avgEntry: candle.close, entryTime: candle.time } : undefined;
  });
  return decisions;
}

/** A context as the runner builds it, for tests that drive an instance by hand (no history kept). */
export function testContext(candle: Candle, position: StrategyContext['position'], candleCount: number): StrategyContext {
  return { symbol: candle.symbol, position, candleCount, time: candle.time + 60_000, history: () => [candle] };
}
