/**
 * `portfolio.rebalance`: the target weights a rebalancing account keeps, and when it trades back to them.
 * The object's own check lives here (the config format calls it), and so does the check against the traded
 * symbols, which needs `market.symbols` and so runs where the app is built.
 */
import { UserError } from '../core/errors';
import { splitSymbol } from '../market/symbols';

export interface RebalanceSettings {
  /**
   * Asset -> percent of the equity: the symbols' base assets and the quote currency, summing to 100. Left
   * out with portfolio.allocations, whose shares are then the targets (reallocation.ts).
   */
  readonly targets?: Readonly<Record<string, number>>;
  /** A weight further than this many percentage points from its target triggers a rebalance. Default 5. */
  readonly thresholdPct?: number;
  /** A duration ("1h", "1d", "7d", "2w"): a rebalance at the first period close this long after the last. */
  readonly every?: string | null;
  /** A leg smaller than this (quote currency) is not traded. Default 10. */
  readonly minTradeQuote?: number;
}

export const REBALANCE_DEFAULTS = { thresholdPct: 5, minTradeQuote: 10 } as const;

/** A setting that breaks a rule: `path` below `portfolio.rebalance` ("" for the whole object). */
export class RebalanceSettingsError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly value: unknown,
  ) {
    super(message);
    this.name = 'RebalanceSettingsError';
  }
}

const KEYS = new Set(['targets', 'thresholdPct', 'every', 'minTradeQuote']);
const DURATION = /^([1-9]\d*)([mhdw])$/;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
/** Weights are percentages typed by hand: 33.33 + 33.33 + 33.34 must pass, 99 must not. */
const SUM_TOLERANCE = 1e-6;

/** "1d" -> 86,400,000; undefined for text that is not a count and a unit (m, h, d, w). */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws a RebalanceSettingsError naming the first mistake; `null` (no rebalancing) is valid. */
export function checkRebalanceSettings(value: unknown): asserts value is RebalanceSettings | null {
  if (value === null) return;
  const fail = (message: string, path: string, at: unknown): never => {
    throw new RebalanceSettingsError(message, path, at);
  };
  if (!isObject(value)) fail('must be null (no rebalancing) or an object with targets, thresholdPct, every and minTradeQuote', '', value);
  const settings = value as Record<string, unknown>;
  for (const key of Object.keys(settings)) if (!KEYS.has(key)) fail('is not a key of a rebalance (targets, thresholdPct, every, minTradeQuote)', `.${key}`, settings[key]);
  const { targets, thresholdPct, every, minTradeQuote } = settings;
  // Absent only with portfolio.allocations, which the app checks where it sees both keys.
  if (targets !== undefined) {
    if (!isObject(targets) || Object.keys(targets).length < 2) fail('must be an object of at least two assets and their percent of the equity, like {"BTC": 50, "USDT": 50}', '.targets', targets);
    let sum = 0;
    for (const [asset, pct] of Object.entries(targets as Record<string, unknown>)) {
      if (!/^[A-Z0-9]+$/.test(asset)) fail('must be an asset like "BTC" or "USDT" (upper case letters and digits)', `.targets.${asset}`, pct);
      if (!(typeof pct === 'number' && Number.isFinite(pct) && pct >= 0 && pct <= 100)) fail('must be a number from 0 to 100 (percent of the equity)', `.targets.${asset}`, pct);
      sum += pct as number;
    }
    if (Math.abs(sum - 100) > SUM_TOLERANCE) fail(`must add up to 100, and they add up to ${sum}`, '.targets', targets);
  }
  if (thresholdPct !== undefined && !(typeof thresholdPct === 'number' && Number.isFinite(thresholdPct) && thresholdPct > 0 && thresholdPct <= 100)) {
    fail('must be a number of percentage points greater than 0 and at most 100', '.thresholdPct', thresholdPct);
  }
  if (every !== undefined && every !== null && !(typeof every === 'string' && durationMs(every) !== undefined)) {
    fail('must be null or a duration like "1h", "1d", "7d" or "2w"', '.every', every);
  }
  if (minTradeQuote !== undefined && !(typeof minTradeQuote === 'number' && Number.isFinite(minTradeQuote) && minTradeQuote >= 0)) {
    fail('must be a number of 0 or more (quote currency)', '.minTradeQuote', minTradeQuote);
  }
}

/**
 * The targets must be exactly the traded symbols' base assets and the quote currency: an asset the bot
 * cannot trade cannot be held at a weight, and a traded one left out would have no target.
 */
export function checkRebalanceAssets(settings: RebalanceSettings, symbols: readonly string[], quote: string): void {
  const expected = [...symbols.map((s) => splitSymbol(s).base), quote];
  if (settings.targets === undefined) {
    throw new UserError(`portfolio.rebalance has no targets: give ${expected.join(', ')} their weights, or set portfolio.allocations to rebalance the strategies' capital`);
  }
  const given = Object.keys(settings.targets);
  const missing = expected.filter((a) => !given.includes(a));
  const extra = given.filter((a) => !expected.includes(a));
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [
    ...(extra.length > 0 ? [`names ${extra.join(', ')}, which market.symbols does not trade`] : []),
    ...(missing.length > 0 ? [`leaves out ${missing.join(', ')}`] : []),
  ];
  throw new UserError(`portfolio.rebalance.targets ${parts.join(' and ')}: it must give a weight to exactly ${expected.join(', ')}`);
}
