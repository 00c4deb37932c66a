import { RSI } from 'trading-signals';
import { defineStrategy } from '../src/strategy/types';

/**
 * Buys a dip once it starts to recover and sells once the price has run up.
 *
 * Entry waits for RSI to cross back ABOVE `oversold` after being below it, rather than buying while it is
 * below: in a falling market RSI can stay oversold for a long time, and buying the first oversold close
 * catches the falling knife. The cross back up is the classic confirmation that selling has exhausted.
 *
 * Exit is taken on any close with RSI above `overbought`, not only on the crossing: the mean reversion we
 * bet on has happened, and if an exit was missed (or refused by risk) it is asked for again next candle.
 */
export default defineStrategy({
  name: 'rsi-mean-reversion',
  description: 'Long when RSI recovers above the oversold level, out when RSI is overbought.',
  params: {
    period: { type: 'number', default: 14, min: 2, max: 100, integer: true, description: 'RSI length in candles.' },
    oversold: { type: 'number', default: 30, min: 1, max: 50, description: 'RSI level a dip must fall below.' },
    overbought: { type: 'number', default: 70, min: 50, max: 99, description: 'RSI level at which the position is sold.' },
  },
  // The first close only seeds the price change, so RSI needs `period` changes, i.e. period + 1 closes.
  warmup: ({ period }) => period + 1,
  create: ({ period, oversold, overbought }) => {
    const rsi = new RSI(period);
    let previous: number | undefined;
    return {
      onCandle: (candle, context) => {
        rsi.add(candle.close);
        if (!rsi.isStable) return { action: 'none' };
        const current = rsi.getResultOrThrow();
        const before = previous;
        previous = current;

        if (context.position === undefined) {
          if (before !== undefined && before < oversold && current >= oversold) {
            return { action: 'enter', reason: `RSI crossed back above ${oversold} (${fmt(before)} -> ${fmt(current)})` };
          }
        } else if (current > overbought) {
          return { action: 'exit', reason: `RSI ${fmt(current)} above ${overbought}` };
        }
        return { action: 'none' };
      },
    };
  },
});

function fmt(value: number): string {
  return value.toFixed(1);
}
