import { EMA, MACD, RSI } from 'trading-signals';
import { defineStrategy } from '../../src/strategy/types';

/**
 * The backtest benchmark's strategy: RSI and MACD on every close, as the backtest issue asks. Long when the
 * MACD histogram turns positive while RSI is not overbought; out when the histogram turns negative or RSI
 * is overbought. The benchmark's reference loop runs this very definition without the agents.
 */
export default defineStrategy({
  name: 'rsi-macd',
  description: 'Long on a MACD cross up unless RSI is overbought; out on a MACD cross down or an overbought RSI.',
  params: {
    rsiPeriod: { type: 'number', default: 14, min: 2, max: 100, integer: true, description: 'RSI length.' },
    overbought: { type: 'number', default: 70, min: 50, max: 99, description: 'RSI level that blocks entries and forces exits.' },
  },
  warmup: () => 34,
  create: ({ rsiPeriod, overbought }) => {
    const rsi = new RSI(rsiPeriod);
    const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
    let previousHistogram = 0;
    return {
      onCandle: (candle, context) => {
        rsi.add(candle.close);
        macd.add(candle.close);
        const result = macd.getResult();
        if (result === null || !rsi.isStable) return { action: 'none' };
        const strength = rsi.getResultOrThrow();
        const before = previousHistogram;
        previousHistogram = result.histogram;
        if (context.position === undefined) {
          if (before <= 0 && result.histogram > 0 && strength < overbought) return { action: 'enter', reason: 'MACD crossed up' };
        } else if (result.histogram < 0 && before >= 0) {
          return { action: 'exit', reason: 'MACD crossed down' };
        } else if (strength > overbought) {
          return { action: 'exit', reason: 'RSI overbought' };
        }
        return { action: 'none' };
      },
    };
  },
});
