import { EMA } from 'trading-signals';
import { defineStrategy, type Intent } from '../src/strategy/types';

// Returned on most candles: one shared object rather than a new one each time.
const NONE: Intent = { action: 'none' };

/**
 * sma-cross with exponential averages, which weigh recent closes more and so turn sooner: enter long when
 * the fast EMA of the close crosses above the slow one (fast > slow on this close, fast <= slow on the
 * previous close); exit when it crosses below (fast < slow now, fast >= slow before). Long only.
 *
 * trading-signals seeds an EMA with the first close and calls it stable after `period` closes; the slow one
 * is the later of the two, and a cross needs the previous candle's values too.
 */
export default defineStrategy({
  name: 'ema-crossover',
  description: 'Long while the fast exponential moving average is above the slow one, entered and left on the crosses.',
  params: {
    fast: { type: 'number', default: 12, min: 1, max: 1000, integer: true, description: 'Fast EMA length in candles.' },
    slow: { type: 'number', default: 26, min: 2, max: 5000, integer: true, description: 'Slow EMA length; must exceed fast.' },
  },
  // With slow <= fast the averages swap roles and every signal inverts.
  validate: ({ fast, slow }) => (slow > fast ? undefined : `slow (${slow}) must be greater than fast (${fast})`),
  warmup: ({ slow }) => slow + 1,
  create: ({ fast, slow }) => {
    const fastEma = new EMA(fast);
    const slowEma = new EMA(slow);
    // The averages on the previous close; NaN until both are stable.
    let previousFast = Number.NaN;
    let previousSlow = Number.NaN;
    return {
      onCandle: (candle, context) => {
        fastEma.add(candle.close);
        slowEma.add(candle.close);
        // An EMA has a value from its first close on; only isStable says when the seed has worn off.
        if (!fastEma.isStable || !slowEma.isStable) return NONE;
        const f = fastEma.getResultOrThrow();
        const s = slowEma.getResultOrThrow();
        const beforeFast = previousFast;
        const beforeSlow = previousSlow;
        previousFast = f;
        previousSlow = s;
        if (Number.isNaN(beforeFast)) return NONE;
        if (!context.position && f > s && beforeFast <= beforeSlow) {
          return { action: 'enter', reason: `EMA${fast} ${fmt(f)} crossed above EMA${slow} ${fmt(s)}` };
        }
        if (context.position && f < s && beforeFast >= beforeSlow) {
          return { action: 'exit', reason: `EMA${fast} ${fmt(f)} crossed below EMA${slow} ${fmt(s)}` };
        }
        return NONE;
      },
    };
  },
});

function fmt(value: number): string {
  return Number(value.toPrecision(6)).toString();
}
