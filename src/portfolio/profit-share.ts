/**
 * The profit-sharing schedule: a performance fee on the equity gained above a high-water mark, charged by
 * marginal tiers of the period's return, like tax brackets. The rules, exactly (README "Profit sharing"):
 *
 * - The high-water mark M starts at the start balance. At a period end, with E the equity (net of any fee
 *   still owed), the gain is G = E - M and the period's return is G / M x 100.
 * - The tiers are bands of that return measured from the mark: tier i covers the return from the previous
 *   tier's `upToPct` (0 for the first) to its own `upToPct` (the last tier has none: no upper bound).
 * - The hurdle (`hurdlePct` of M) is exempt: the part of a band below it is not shared. The bands stay
 *   measured from the mark, so a hurdle of 5 % with a first band up to 10 % shares only 5-10 % at that band's
 *   rate; a hurdle moves no band, it only exempts the bottom of the gain.
 * - Each band's slice of the gain pays its `sharePct`; the fee is their sum.
 * - No fee when G <= hurdle, and then the mark stays where it was: a loss is carried forward, and the gain
 *   that recovers it is not shared until the equity is above the old mark again.
 * - After a fee the mark moves to the equity after the fee, E - fee: what was shared is not shared again.
 *
 * Bands are computed in money (M x upToPct / 100) rather than in percent, so that the top slice is the gain
 * itself to the last bit and the fee does not depend on a percentage's rounding.
 */

export type ProfitSharePeriod = 'month' | 'quarter' | 'run';

export const PROFIT_SHARE_PERIODS: readonly ProfitSharePeriod[] = ['month', 'quarter', 'run'];

export interface ProfitShareTier {
  /** Upper bound of the band, return in percent of the mark; absent on the last tier (no bound). */
  readonly upToPct?: number;
  /** Share of this band's slice of the gain, in percent. */
  readonly sharePct: number;
}

/** `portfolio.profitShare` as the configuration holds it; `null` there means no profit sharing. */
export interface ProfitShareSchedule {
  readonly period: ProfitSharePeriod;
  readonly tiers: readonly ProfitShareTier[];
  /** Return below this (percent of the mark) is exempt; default 0. */
  readonly hurdlePct?: number;
}

/** One band's part of a fee: the slice of the return it taxed and what it charged. */
export interface ProfitShareSlice {
  fromPct: number;
  toPct: number;
  sharePct: number;
  amount: number;
}

export interface ProfitShareFee {
  gain: number;
  fee: number;
  /** The bands that taxed something, lowest first; empty when nothing was shared. */
  tiers: ProfitShareSlice[];
}

/**
 * A schedule that breaks a rule. `path` is where below `portfolio.profitShare` (".tiers[1].upToPct", or ""
 * for the whole object), `value` what is there, `message` the reason ("must be ...").
 */
export class ProfitShareScheduleError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly value: unknown,
  ) {
    super(message);
    this.name = 'ProfitShareScheduleError';
  }
}

const KEYS = new Set(['period', 'tiers', 'hurdlePct']);
const TIER_KEYS = new Set(['upToPct', 'sharePct']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPercent(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100;
}

/** Throws a ProfitShareScheduleError naming the first mistake; `null` (no sharing) is valid. */
export function checkProfitShareSchedule(value: unknown): asserts value is ProfitShareSchedule | null {
  if (value === null) return;
  const fail = (message: string, path: string, at: unknown): never => {
    throw new ProfitShareScheduleError(message, path, at);
  };
  if (!isObject(value)) fail('must be null (no profit sharing) or an object with period, tiers and hurdlePct', '', value);
  const schedule = value as Record<string, unknown>;
  for (const key of Object.keys(schedule)) if (!KEYS.has(key)) fail('is not a key of a profit-share schedule (period, tiers, hurdlePct)', `.${key}`, schedule[key]);
  if (!PROFIT_SHARE_PERIODS.includes(schedule.period as ProfitSharePeriod)) fail('must be "month", "quarter" or "run"', '.period', schedule.period);
  if (schedule.hurdlePct !== undefined && !(typeof schedule.hurdlePct === 'number' && Number.isFinite(schedule.hurdlePct) && schedule.hurdlePct >= 0)) {
    fail('must be a number of 0 or more (percent of the high-water mark)', '.hurdlePct', schedule.hurdlePct);
  }
  const { tiers } = schedule;
  if (!Array.isArray(tiers) || tiers.length === 0) fail('must be a non-empty list of tiers like {"upToPct": 10, "sharePct": 10}', '.tiers', tiers);
  const list = tiers as unknown[];
  let previous: number | undefined;
  list.forEach((tier, i) => {
    const at = `.tiers[${i}]`;
    if (!isObject(tier)) fail('must be an object with sharePct and, except on the last tier, upToPct', at, tier);
    const t = tier as Record<string, unknown>;
    for (const key of Object.keys(t)) if (!TIER_KEYS.has(key)) fail('is not a key of a tier (upToPct, sharePct)', `${at}.${key}`, t[key]);
    if (!isPercent(t.sharePct)) fail('must be a number from 0 to 100', `${at}.sharePct`, t.sharePct);
    const last = i === list.length - 1;
    if (last && t.upToPct !== undefined) fail('must be left out on the last tier, which has no upper bound', `${at}.upToPct`, t.upToPct);
    if (last) return;
    if (t.upToPct === undefined) fail('is missing: only the last tier may leave it out', `${at}.upToPct`, t.upToPct);
    if (!(typeof t.upToPct === 'number' && Number.isFinite(t.upToPct) && t.upToPct > 0)) fail('must be a number greater than 0', `${at}.upToPct`, t.upToPct);
    const upTo = t.upToPct as number;
    if (previous !== undefined && upTo <= previous) fail(`must be above tiers[${i - 1}].upToPct (${previous})`, `${at}.upToPct`, upTo);
    previous = upTo;
  });
}

/** The fee the schedule charges at a period end, for a mark and an equity (net of fees still owed). */
export function profitShareFee(schedule: ProfitShareSchedule, highWaterMark: number, equity: number): ProfitShareFee {
  const gain = equity - highWaterMark;
  const hurdle = (highWaterMark * (schedule.hurdlePct ?? 0)) / 100;
  const tiers: ProfitShareSlice[] = [];
  if (!(gain > hurdle) || !(highWaterMark > 0)) return { gain, fee: 0, tiers };
  let fee = 0;
  let bandFrom = 0;
  for (const tier of schedule.tiers) {
    const bandTo = tier.upToPct === undefined ? gain : Math.min(gain, (highWaterMark * tier.upToPct) / 100);
    const from = Math.max(bandFrom, hurdle);
    if (bandTo > from) {
      const amount = ((bandTo - from) * tier.sharePct) / 100;
      fee += amount;
      tiers.push({ fromPct: (from / highWaterMark) * 100, toPct: (bandTo / highWaterMark) * 100, sharePct: tier.sharePct, amount });
    }
    if (bandTo >= gain) break;
    bandFrom = bandTo;
  }
  return { gain, fee, tiers };
}
