import { ATR } from 'trading-signals';
import type { Candle } from '../src/market/types';
import { defineStrategy, type Intent } from '../src/strategy/types';

// Returned on most candles: one shared object rather than a new one each time.
const NONE: Intent = { action: 'none' };

/**
 * Trend following on Donchian channel breakouts (the turtle rules, long only): enter on a close above the
 * highest high of the previous `entryPeriod` candles, exit on a close below the lowest low of the previous
 * `exitPeriod` candles. The channels are those of the candles BEFORE this one: a channel that included this
 * candle would contain its own high, and no close could ever be above it.
 *
 * Each entry carries its own stop-loss, `atrMultiplier` average true ranges below the close it was decided
 * at, in percent (the intent's stopLossPct): a breakout in a quiet market gets a tight stop, one in a wild
 * market a loose one, where a fixed percentage would be either too tight or too loose. It is taken on the
 * decision candle's ATR, the last one known, and applies from the fill at the next open.
 */
export default defineStrategy({
  name: 'donchian-atr',
  description: 'Long on a close above the previous N-candle high, out on a close below the previous M-candle low, with an ATR stop per entry.',
  params: {
    entryPeriod: { type: 'number', default: 20, min: 1, max: 1000, integer: true, description: 'Candles whose highest high a close must exceed to enter.' },
    exitPeriod: { type: 'number', default: 10, min: 1, max: 1000, integer: true, description: 'Candles whose lowest low a close must fall below to exit.' },
    atrPeriod: { type: 'number', default: 14, min: 1, max: 500, integer: true, description: 'Average true range length in candles (Wilder smoothing).' },
    atrMultiplier: { type: 'number', default: 2, min: 0.1, max: 20, description: 'Stop-loss distance below the entry close, in ATRs.' },
  },
  // The breakout needs `entryPeriod` candles before this one, the exit `exitPeriod`; ATR exists from its `atrPeriod`-th candle.
  warmup: ({ entryPeriod, exitPeriod, atrPeriod }) => Math.max(entryPeriod + 1, exitPeriod + 1, atrPeriod),
  // The channels are read from context.history(): the previous candles of the longer channel and this one.
  historyLength: ({ entryPeriod, exitPeriod }) => Math.max(entryPeriod, exitPeriod) + 1,
  create: ({ entryPeriod, exitPeriod, atrPeriod, atrMultiplier }) => {
    const atr = new ATR(atrPeriod);
    return {
      onCandle: (candle, context) => {
        const range = atr.add(candle);
        if (context.position === undefined) {
          const before = previousCandles(context.history(entryPeriod + 1), entryPeriod);
          if (before === undefined || range === null) return NONE;
          const high = Math.max(...before.map((c) => c.high));
          if (candle.close <= high) return NONE;
          // A stop at or beyond the whole price would never trigger; 99 % is the widest the bot takes.
          const stopLossPct = Math.min(99, (atrMultiplier * range * 100) / candle.close);
          return {
            action: 'enter',
            reason: `close ${fmt(candle.close)} above the ${entryPeriod}-candle high ${fmt(high)} (stop ${fmt(stopLossPct)} %: ${atrMultiplier} x ATR ${fmt(range)})`,
            stopLossPct,
          };
        }
        const before = previousCandles(context.history(exitPeriod + 1), exitPeriod);
        if (before === undefined) return NONE;
        const low = Math.min(...before.map((c) => c.low));
        if (candle.close < low) return { action: 'exit', reason: `close ${fmt(candle.close)} below the ${exitPeriod}-candle low ${fmt(low)}` };
        return NONE;
      },
    };
  },
});

/** The `count` candles before the last one of `history` (this candle), or undefined while fewer were seen. */
function previousCandles(history: readonly Candle[], count: number): readonly Candle[] | undefined {
  return history.length > count ? history.slice(0, count) : undefined;
}

function fmt(value: number): string {
  return Number(value.toPrecision(6)).toString();
}
