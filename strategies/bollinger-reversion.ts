import { BollingerBands } from 'trading-signals';
import { defineStrategy, type Intent } from '../src/strategy/types';

// Returned on most candles: one shared object rather than a new one each time.
const NONE: Intent = { action: 'none' };

/**
 * Mean reversion on Bollinger bands: buys a dip below the lower band once the price closes back inside,
 * sells when it has returned to the middle band (or, with `exitAt: "upper"`, gone on to the upper band).
 *
 * Entry waits for the close back inside rather than buying the first close below the band: a close below
 * the band is a move of more than `stdDev` deviations, which in a crash goes on for many candles; coming back
 * inside is the sign that the move has stopped stretching. The close outside and the close back inside are
 * each judged against the bands of their own candle.
 *
 * The exit is taken on any close at or above the target band, not only on the crossing: the reversion we
 * bet on has happened, and an exit that was missed (or refused by risk) is asked for again next candle.
 * There is no exit below the lower band: a failed reversion is left to the stop-loss (the bot's
 * trade.stopLossPct), as in rsi-mean-reversion.
 */
export default defineStrategy({
  name: 'bollinger-reversion',
  description: 'Long when the close comes back inside the lower Bollinger band, out at the middle (or upper) band.',
  params: {
    period: { type: 'number', default: 20, min: 2, max: 500, integer: true, description: 'Bollinger band length in candles (the SMA and the deviation window).' },
    stdDev: { type: 'number', default: 2, min: 0.5, max: 5, description: 'Band width in population standard deviations of the close from its SMA.' },
    exitAt: { type: 'string', default: 'middle', values: ['middle', 'upper'], description: 'Band a close must reach to sell: "middle" (the SMA) or "upper".' },
  },
  // The bands exist from the `period`-th close; "back inside" also needs the close and bands before, so one more.
  warmup: ({ period }) => period + 1,
  create: ({ period, stdDev, exitAt }) => {
    const bands = new BollingerBands(period, stdDev);
    // Whether the previous close was below its own lower band; undefined until the bands exist.
    let wasBelow: boolean | undefined;
    return {
      onCandle: (candle, context) => {
        const band = bands.add(candle.close);
        if (band === null) return NONE;
        const before = wasBelow;
        wasBelow = candle.close < band.lower;
        if (before === undefined) return NONE;

        if (context.position === undefined) {
          if (before && candle.close >= band.lower) {
            return { action: 'enter', reason: `close ${fmt(candle.close)} back above the lower band ${fmt(band.lower)}` };
          }
        } else {
          const target = exitAt === 'upper' ? band.upper : band.middle;
          if (candle.close >= target) return { action: 'exit', reason: `close ${fmt(candle.close)} reached the ${exitAt} band ${fmt(target)}` };
        }
        return NONE;
      },
    };
  },
});

function fmt(value: number): string {
  return Number(value.toPrecision(6)).toString();
}
