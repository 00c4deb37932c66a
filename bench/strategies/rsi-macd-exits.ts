import { defineStrategy } from '../../src/strategy/types';
import rsiMacd from './rsi-macd';

/**
 * The backtest benchmark's strategy with every exit rule on: a stop-loss, a take-profit ladder moving the
 * stop to breakeven, a trailing stop and an ROI table. Entries and signal exits are rsi-macd's own, so the
 * two runs differ only by what the exit rules cost.
 */
export default defineStrategy({
  ...rsiMacd,
  name: 'rsi-macd-exits',
  description: 'rsi-macd with a stop-loss, a take-profit ladder, a trailing stop and an ROI table.',
  protection: () => ({
    // Tight enough for the generated market's 1m moves, so every rule fires thousands of times.
    stopLossPct: 0.5,
    takeProfitTiers: [
      { atPct: 0.15, sellPct: 30, moveStopTo: 'breakeven' },
      { atPct: 0.3, sellPct: 30 },
    ],
    trailingStopPct: 0.15,
    trailingActivationPct: 0.2,
    roi: { '0': 2, '30': 0.1 },
  }),
});
