import { EMA, MACD } from 'trading-signals';
import { defineStrategy } from '../src/strategy/types';

/**
 * Trend following: long when the MACD line crosses above its signal line (momentum turning up), out when it
 * crosses back below. A cross needs a value on each side, so the first stable candle never signals.
 *
 * No strength is given (the runner reads it as 1): on the candle of a cross the histogram has only just
 * changed sign, so any function of it is near 0 for every cross and would say nothing but "weak".
 */
export default defineStrategy({
  name: 'macd-crossover',
  description: 'Long when the MACD line crosses above the signal line, out when it crosses below.',
  params: {
    fast: { type: 'number', default: 12, min: 2, max: 100, integer: true, description: 'Fast EMA length in candles.' },
    slow: { type: 'number', default: 26, min: 3, max: 200, integer: true, description: 'Slow EMA length; must exceed fast.' },
    signal: { type: 'number', default: 9, min: 2, max: 100, integer: true, description: 'Signal EMA length over the MACD line.' },
  },
  validate: slowAfterFast,
  // The MACD line exists from the `slow`-th close; the signal line then needs `signal` MACD values of its own.
  warmup: ({ slow, signal }) => slow + signal - 1,
  create: (params) => {
    const macd = new MACD(new EMA(params.fast), new EMA(params.slow), new EMA(params.signal));
    let previousHistogram: number | undefined;
    return {
      onCandle: (candle, context) => {
        macd.add(candle.close);
        const result = macd.getResult();
        if (result === null || !macd.signal.isStable) return { action: 'none' };
        const before = previousHistogram;
        previousHistogram = result.histogram;
        if (before === undefined) return { action: 'none' };

        if (context.position === undefined && before <= 0 && result.histogram > 0) {
          return { action: 'enter', reason: `MACD ${fmt(result.macd)} crossed above signal ${fmt(result.signal)}` };
        }
        if (context.position !== undefined && before >= 0 && result.histogram < 0) {
          return { action: 'exit', reason: `MACD ${fmt(result.macd)} crossed below signal ${fmt(result.signal)}` };
        }
        return { action: 'none' };
      },
    };
  },
});

/** Why fast/slow are refused, or undefined: with slow <= fast the lines swap roles and every signal inverts. */
export function slowAfterFast({ fast, slow }: { fast: number; slow: number }): string | undefined {
  return slow > fast ? undefined : `slow (${slow}) must be greater than fast (${fast})`;
}

function fmt(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
