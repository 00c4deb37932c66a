import type { LadderTier, Protection, RoiStep } from './protective-exit';
import type { EntryLevels, RoiTable, TakeProfitTier } from './types';

const MINUTE_MS = 60_000;

/** The entry a protection is set around: its quantity, average fill price and first fill's time so far. */
export interface EntryBasis {
  qty: number;
  price: number;
  time: number;
}

/**
 * The prices an entry's levels (percents) come to, around its average fill price so far, protecting
 * `qty` in all. `before` is the protection this same entry set at its previous fill (live orders fill in
 * pieces): the ladder tiers that fired since stay fired, and the trailing stop keeps its peak.
 */
export function protectionFor(qty: number, entry: EntryBasis, levels: EntryLevels, before: Protection | undefined): Protection | undefined {
  const { stopLossPct = 0, takeProfitPct = 0, takeProfitTiers, trailingStopPct = 0, trailingActivationPct = 0, roi } = levels;
  const average = entry.price;
  const protection: Protection = { qty };
  if (stopLossPct > 0) protection.stopLoss = average * (1 - stopLossPct / 100);
  if (takeProfitPct > 0) protection.takeProfit = average * (1 + takeProfitPct / 100);
  if (takeProfitTiers !== undefined && takeProfitTiers.length > 0) {
    const fired = before?.tiers !== undefined ? takeProfitTiers.length - before.tiers.length : 0;
    const tiers = takeProfitTiers.slice(fired).map((tier) => ladderTier(tier, entry));
    if (tiers.length > 0) protection.tiers = tiers;
    // A stop a fired tier moved up stays where it went.
    const moved = before?.stopLoss;
    if (fired > 0 && moved !== undefined && !(moved <= (protection.stopLoss ?? 0))) protection.stopLoss = moved;
  }
  if (trailingStopPct > 0) {
    const activateAt = average * (1 + trailingActivationPct / 100);
    // Active at once (no activation): it trails from the entry price.
    const peak = Math.max(before?.trailing?.peak ?? 0, trailingActivationPct > 0 ? 0 : average);
    protection.trailing = { pct: trailingStopPct, activateAt, peak };
  }
  if (roi !== undefined) {
    const steps = roiSteps(roi, entry);
    if (steps.length > 0) protection.roi = steps;
  }
  return Object.keys(protection).length > 1 ? protection : undefined;
}

function ladderTier(tier: TakeProfitTier, entry: EntryBasis): LadderTier {
  const ladder: LadderTier = { price: entry.price * (1 + tier.atPct / 100), qty: entry.qty * (tier.sellPct / 100) };
  const { moveStopTo } = tier;
  if (moveStopTo !== undefined) ladder.stopTo = moveStopTo === 'breakeven' ? entry.price : entry.price * (1 + moveStopTo / 100);
  return ladder;
}

function roiSteps(table: RoiTable, entry: EntryBasis): RoiStep[] {
  return Object.entries(table)
    .map(([minutes, pct]) => ({ from: entry.time + Number(minutes) * MINUTE_MS, price: entry.price * (1 + pct / 100) }))
    .sort((a, b) => b.from - a.from);
}

/** Whether an entry asks for any exit level at all: most entries of a backtest ask for none. */
export function watchesAnything(levels: EntryLevels): boolean {
  return (
    (levels.stopLossPct ?? 0) > 0 ||
    (levels.takeProfitPct ?? 0) > 0 ||
    (levels.takeProfitTiers?.length ?? 0) > 0 ||
    (levels.trailingStopPct ?? 0) > 0 ||
    (levels.roi !== undefined && Object.keys(levels.roi).length > 0)
  );
}

/** What is wrong with a take-profit ladder, in one sentence naming the tier; undefined when it is right. */
export function ladderProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'must be a list of tiers like [{"atPct": 2, "sellPct": 30}]';
  let lastAt = 0;
  let total = 0;
  for (let i = 0; i < value.length; i++) {
    const tier: unknown = value[i];
    const name = `tier ${i + 1}`;
    if (typeof tier !== 'object' || tier === null || Array.isArray(tier)) return `${name} must be an object like {"atPct": 2, "sellPct": 30}`;
    const { atPct, sellPct, moveStopTo, ...rest } = tier as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) return `${name} has an unknown key "${unknown}" (it takes atPct, sellPct and moveStopTo)`;
    if (typeof atPct !== 'number' || !Number.isFinite(atPct) || atPct <= 0) return `${name}'s atPct must be a number of percent above 0`;
    if (atPct <= lastAt) return `${name}'s atPct ${atPct} must be above the tier before's ${lastAt}`;
    if (typeof sellPct !== 'number' || !Number.isFinite(sellPct) || sellPct <= 0 || sellPct > 100) return `${name}'s sellPct must be a number of percent above 0 and at most 100`;
    if (moveStopTo !== undefined && moveStopTo !== 'breakeven') {
      if (typeof moveStopTo !== 'number' || !Number.isFinite(moveStopTo) || moveStopTo <= -100 || moveStopTo >= atPct) {
        return `${name}'s moveStopTo must be "breakeven" or a percent from the entry above -100 and below its atPct ${atPct}`;
      }
    }
    lastAt = atPct;
    total += sellPct;
  }
  if (total > 100 + 1e-9) return `the tiers sell ${total} % of the entry in all, more than 100 %`;
  return undefined;
}

/** What is wrong with an ROI table, in one sentence; undefined when it is right. */
export function roiProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of minutes held to a minimum profit in percent, like {"0": 4, "30": 2, "60": 0}';
  for (const [minutes, pct] of Object.entries(value as Record<string, unknown>)) {
    if (!/^\d+$/.test(minutes)) return `has the key "${minutes}", which is not a whole number of minutes`;
    if (typeof pct !== 'number' || !Number.isFinite(pct) || pct <= -100) return `must give ${minutes} minutes a profit in percent above -100`;
  }
  return undefined;
}

/**
 * What is wrong with an entry's levels as a strategy gives them (an intent, or protection()), in one
 * sentence naming the key; undefined when they are right.
 */
export function levelsProblem(levels: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of ['stopLossPct', 'takeProfitPct', 'trailingActivationPct'] as const) {
    const pct = levels[key];
    if (pct !== undefined && (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0)) return `${key} must be a number of percent, 0 or more, got ${String(pct)}`;
  }
  const trailing = levels['trailingStopPct'];
  if (trailing !== undefined && (typeof trailing !== 'number' || !Number.isFinite(trailing) || trailing < 0 || trailing >= 100)) {
    return `trailingStopPct must be a number of percent from 0 to below 100, got ${String(trailing)}`;
  }
  const tiers = levels['takeProfitTiers'] === undefined ? undefined : ladderProblem(levels['takeProfitTiers']);
  if (tiers !== undefined) return `takeProfitTiers ${tiers}`;
  const roi = levels['roi'] === undefined ? undefined : roiProblem(levels['roi']);
  if (roi !== undefined) return `roi ${roi}`;
  return undefined;
}
