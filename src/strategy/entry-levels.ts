import type { EntryLevels } from '../execution/types';

/**
 * Which stop-loss and take-profit an entry gets, each level on its own: the entry's own (its intent), else
 * the strategy's (its `protection()`), else the bot's (`trade.stopLossPct` / `trade.takeProfitPct`). The
 * first two are the strategy's word and travel on the signal; the bot's fills in when the order is made.
 * 0 means none.
 */
export function strategyLevels(own: EntryLevels, strategy: EntryLevels | undefined): EntryLevels {
  const stopLossPct = own.stopLossPct ?? strategy?.stopLossPct;
  const takeProfitPct = own.takeProfitPct ?? strategy?.takeProfitPct;
  // Assigned, not spread in: this runs on every entry signal of a backtest, and absent must stay absent.
  const levels: EntryLevels = {};
  if (stopLossPct !== undefined) levels.stopLossPct = stopLossPct;
  if (takeProfitPct !== undefined) levels.takeProfitPct = takeProfitPct;
  return levels;
}

/** The levels an entry order watches: the signal's, else the bot's; undefined when that leaves none. */
export function orderLevels(signal: EntryLevels, bot: Required<EntryLevels>): EntryLevels | undefined {
  const stopLossPct = signal.stopLossPct ?? bot.stopLossPct;
  const takeProfitPct = signal.takeProfitPct ?? bot.takeProfitPct;
  return stopLossPct > 0 || takeProfitPct > 0 ? { stopLossPct, takeProfitPct } : undefined;
}
