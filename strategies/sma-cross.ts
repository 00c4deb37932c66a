import { SMA } from 'trading-signals';
import { defineStrategy, type Intent } from '../src/strategy/types';

// Returned on most candles: one shared object rather than a new one each time.
const NONE: Intent = { action: 'none' };

/**
 * The reference strategy the backtest engine is validated with, so its rules are exact and simple:
 * enter long when the fast SMA of the close crosses above the slow one (fast > slow on this close,
 * fast <= slow on the previous close); exit when it crosses below (fast < slow now, fast >= slow before).
 * No stop-loss or take-profit unless the parameters or the bot's keys set them (a backtest's bot keys are 0).
 */
export default defineStrategy({
  name: 'sma-cross',
  description: 'Long while the fast simple moving average is above the slow one, entered and left on the crosses.',
  params: {
    fast: { type: 'number', default: 10, min: 1, max: 1000, integer: true, description: 'Fast SMA length in candles.' },
    slow: { type: 'number', default: 30, min: 2, max: 5000, integer: true, description: 'Slow SMA length; must exceed fast.' },
    stopLossPct: { type: 'number', default: 0, min: 0, max: 99, description: 'Stop-loss below the entry, percent; 0: the bot\'s (trade.stopLossPct, --stop-loss).' },
    takeProfitPct: { type: 'number', default: 0, min: 0, max: 10_000, description: 'Take-profit above the entry, percent; 0: the bot\'s (trade.takeProfitPct, --take-profit).' },
  },
  validate: ({ fast, slow }) => (slow > fast ? undefined : `slow (${slow}) must be greater than fast (${fast})`),
  // A level left at 0 is left out, so the bot's own (--stop-loss, --take-profit) applies rather than none.
  protection: ({ stopLossPct, takeProfitPct }) => ({ ...(stopLossPct > 0 ? { stopLossPct } : {}), ...(takeProfitPct > 0 ? { takeProfitPct } : {}) }),
  // The slow average exists from its `slow`-th close; a cross also needs the close before, so one more.
  warmup: ({ slow }) => slow + 1,
  create: ({ fast, slow }) => {
    const fastSma = new SMA(fast);
    const slowSma = new SMA(slow);
    // The averages on the previous close; NaN until both exist.
    let previousFast = Number.NaN;
    let previousSlow = Number.NaN;
    return {
      onCandle: (candle, context) => {
        const f = fastSma.add(candle.close);
        const s = slowSma.add(candle.close);
        if (f === null || s === null) return NONE;
        const beforeFast = previousFast;
        const beforeSlow = previousSlow;
        previousFast = f;
        previousSlow = s;
        if (Number.isNaN(beforeFast)) return NONE;
        if (!context.position && f > s && beforeFast <= beforeSlow) {
          return { action: 'enter', reason: `SMA${fast} ${f.toFixed(2)} crossed above SMA${slow} ${s.toFixed(2)}` };
        }
        if (context.position && f < s && beforeFast >= beforeSlow) {
          return { action: 'exit', reason: `SMA${fast} ${f.toFixed(2)} crossed below SMA${slow} ${s.toFixed(2)}` };
        }
        return NONE;
      },
    };
  },
});
