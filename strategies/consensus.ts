import { EMA, MACD, RSI } from 'trading-signals';
import { defineStrategy, type Intent } from '../src/strategy/types';

// Returned on most candles: one shared object rather than a new one each time.
const NONE: Intent = { action: 'none' };
const VOTERS = 3;

/**
 * Three indicators that each miss in their own way vote, and the strategy acts only when enough agree:
 *   RSI:   bullish above 50 (gains outweigh losses), bearish below;
 *   MACD:  bullish when the histogram is above 0 (the MACD line above its signal line), bearish below;
 *   trend: bullish when the close is above its EMA, bearish below.
 * A value exactly on its line abstains.
 *
 * Entry is taken on the candle the bullish votes reach `minVotes` (fewer on the candle before), not on every
 * bullish candle: after a stop-loss, or at the end of the warm-up in a trend already under way, a level rule
 * would buy at once into a move that is already old. Exit is taken on any candle with `minVotes` bearish
 * votes, so one that was missed (or refused by risk) is asked for again. `minVotes` is 2 or 3, a majority of
 * three, so a candle can never be bullish and bearish at once. Strength is the share of the voters agreeing.
 */
export default defineStrategy({
  name: 'consensus',
  description: 'Long when at least minVotes of RSI, MACD histogram and close-vs-EMA turn bullish, out when minVotes are bearish.',
  params: {
    minVotes: { type: 'number', default: 2, min: 2, max: 3, integer: true, description: 'Votes of the three that must agree: 2 (majority) or 3 (all).' },
    rsiPeriod: { type: 'number', default: 14, min: 2, max: 100, integer: true, description: 'RSI length in candles; votes bullish above 50.' },
    macdFast: { type: 'number', default: 12, min: 2, max: 100, integer: true, description: 'MACD fast EMA length.' },
    macdSlow: { type: 'number', default: 26, min: 3, max: 200, integer: true, description: 'MACD slow EMA length; must exceed macdFast.' },
    macdSignal: { type: 'number', default: 9, min: 2, max: 100, integer: true, description: 'MACD signal EMA length.' },
    emaPeriod: { type: 'number', default: 50, min: 2, max: 1000, integer: true, description: 'EMA length the close is compared with.' },
  },
  validate: ({ macdFast, macdSlow }) => (macdSlow > macdFast ? undefined : `macdSlow (${macdSlow}) must be greater than macdFast (${macdFast})`),
  // Every voter stable (RSI after period + 1 closes, MACD's signal line after slow + signal - 1, the EMA
  // after its period), and one candle more: an entry compares with the votes of the candle before.
  warmup: ({ rsiPeriod, macdSlow, macdSignal, emaPeriod }) => Math.max(rsiPeriod + 1, macdSlow + macdSignal - 1, emaPeriod) + 1,
  create: ({ minVotes, rsiPeriod, macdFast, macdSlow, macdSignal, emaPeriod }) => {
    const rsi = new RSI(rsiPeriod);
    const macd = new MACD(new EMA(macdFast), new EMA(macdSlow), new EMA(macdSignal));
    const ema = new EMA(emaPeriod);
    // Bullish votes on the previous candle; undefined until every voter is stable.
    let previousBullish: number | undefined;
    return {
      onCandle: (candle, context) => {
        const r = rsi.add(candle.close);
        const m = macd.add(candle.close);
        ema.add(candle.close);
        if (r === null || m === null || !macd.signal.isStable || !ema.isStable) return NONE;
        const e = ema.getResultOrThrow();

        const votes = [Math.sign(r - 50), Math.sign(m.histogram), Math.sign(candle.close - e)];
        const bullish = votes.filter((v) => v > 0).length;
        const bearish = votes.filter((v) => v < 0).length;
        const before = previousBullish;
        previousBullish = bullish;
        if (before === undefined) return NONE;

        const detail = `RSI ${r.toFixed(1)}, MACD histogram ${fmt(m.histogram)}, close ${fmt(candle.close)} vs EMA${emaPeriod} ${fmt(e)}`;
        if (context.position === undefined) {
          if (bullish >= minVotes && before < minVotes) {
            return { action: 'enter', reason: `${bullish}/${VOTERS} bullish (${detail})`, strength: bullish / VOTERS };
          }
        } else if (bearish >= minVotes) {
          return { action: 'exit', reason: `${bearish}/${VOTERS} bearish (${detail})`, strength: bearish / VOTERS };
        }
        return NONE;
      },
    };
  },
});

function fmt(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
