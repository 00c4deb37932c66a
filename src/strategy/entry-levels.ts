import { watchesAnything } from '../execution/exit-levels';
import type { EntryLevels } from '../execution/types';

/** Every exit level an entry can ask for; each is settled on its own. */
const LEVEL_KEYS = ['stopLossPct', 'takeProfitPct', 'takeProfitTiers', 'trailingStopPct', 'trailingActivationPct', 'roi'] as const;

/**
 * Which exit levels an entry gets, each level on its own: the entry's own (its intent), else the
 * strategy's (its `protection()`), else the bot's (`trade.stopLossPct`, `trade.takeProfitPct`,
 * `trade.takeProfitTiers`, `trade.trailingStopPct`, `trade.trailingActivationPct`, `trade.roi`). The first
 * two are the strategy's word and travel on the signal; the bot's fills in when the order is made. 0 (or an
 * empty ladder or table) means none.
 */
export function strategyLevels(own: EntryLevels, strategy: EntryLevels | undefined): EntryLevels {
  // Assigned, not spread in: this runs on every entry signal of a backtest, and absent must stay absent.
  const levels: Record<string, unknown> = {};
  for (const key of LEVEL_KEYS) {
    const value = own[key] ?? strategy?.[key];
    if (value !== undefined) levels[key] = value;
  }
  return levels as EntryLevels;
}

/** Copies the levels `from` sets onto `to` (a result, a vote, a signal), leaving absent ones absent. */
export function copyLevels(from: EntryLevels, to: EntryLevels): void {
  const target = to as Record<string, unknown>;
  for (const key of LEVEL_KEYS) {
    const value = from[key];
    if (value !== undefined) target[key] = value;
  }
}

/** The levels an entry order watches: the signal's, else the bot's; undefined when that leaves none. */
export function orderLevels(signal: EntryLevels, bot: EntryLevels): EntryLevels | undefined {
  const levels = strategyLevels(signal, bot);
  return watchesAnything(levels) ? levels : undefined;
}

/** The bot's own levels from `trade.*`: the stop-loss and take-profit always, the others when set. */
export function botLevels(trade: EntryLevels): EntryLevels {
  const levels: EntryLevels = { stopLossPct: trade.stopLossPct ?? 0, takeProfitPct: trade.takeProfitPct ?? 0 };
  if (trade.takeProfitTiers !== undefined && trade.takeProfitTiers.length > 0) levels.takeProfitTiers = trade.takeProfitTiers;
  if ((trade.trailingStopPct ?? 0) > 0) {
    levels.trailingStopPct = trade.trailingStopPct!;
    levels.trailingActivationPct = trade.trailingActivationPct ?? 0;
  }
  if (trade.roi !== undefined && Object.keys(trade.roi).length > 0) levels.roi = trade.roi;
  return levels;
}
