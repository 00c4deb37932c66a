import type { PriceEvent } from './price-event';
import type { ProtectiveReason } from './types';

/**
 * The exit levels watched for one open long position, as prices (exit-levels.ts turns an entry's percents
 * into these at its fill). Only `qty` is always there; a position with a plain stop-loss and take-profit has
 * just those, so the common case costs what it always did.
 */
export interface Protection {
  /** Base quantity still protected: what a full exit sells. */
  qty: number;
  stopLoss?: number;
  takeProfit?: number;
  /** The take-profit ladder's tiers not reached yet, lowest first. */
  tiers?: LadderTier[];
  trailing?: TrailingStop;
  /** The ROI table as prices from market times on, the latest time first. */
  roi?: RoiStep[];
}

export interface LadderTier {
  price: number;
  /** Base quantity this tier sells (its share of the entry's quantity). */
  qty: number;
  /** Where the stop-loss moves once this tier has filled (never down). */
  stopTo?: number;
}

export interface TrailingStop {
  /** Percent below the peak. */
  pct: number;
  /** The price at which it starts trailing. */
  activateAt: number;
  /** The highest price seen since it started; 0 before it has. */
  peak: number;
}

export interface RoiStep {
  /** Market time (ms) from which this step applies: the entry's fill time plus the table's minutes. */
  from: number;
  /** Exit at or above this price. */
  price: number;
}

export interface ProtectiveTrigger {
  reason: ProtectiveReason;
  price: number;
}

/** What fired: sell `qty` (the whole protected quantity, or a ladder tier's share of it). */
export interface ProtectiveExit extends ProtectiveTrigger {
  qty: number;
  /** The ladder tier that fired, whose sale leaves the rest of the position protected. */
  tier?: LadderTier;
}

/**
 * Which exit an event fires, at what price, and for how much. One candle's moves come in an unknown order,
 * so the conservative order is taken:
 * 1. the stop first: the higher of the stop-loss and the trailing stop (its peak as of the events before),
 *    reached by the event's low: the whole position;
 * 2. then the ladder's lowest tier not reached yet, by the event's high: that tier's share;
 * 3. then the take-profit, by the high: the rest;
 * 4. then the ROI table's price for the time held at the event's start (the shortest hold the event covers,
 *    so the highest profit asked), by the high: the rest.
 * A gap through a level (the event opens beyond it) fills at the open, the price the market offered; a
 * level reached inside the event fills at the level. `stopsToo` false skips step 1: after a tier fired in an
 * event, the rest of that event can fire further tiers but not the stop, whose low may have come first.
 */
export function protectiveExitTrigger(protection: Protection, event: PriceEvent, stopsToo = true): ProtectiveExit | undefined {
  const { qty, takeProfit, tiers, roi } = protection;
  if (stopsToo) {
    const { stopLoss, trailing } = protection;
    // Numbers only, no object: this runs on every price event of a position.
    const trail = trailing !== undefined && trailing.peak > 0 ? trailing.peak * (1 - trailing.pct / 100) : Number.NEGATIVE_INFINITY;
    const stop = stopLoss !== undefined && stopLoss >= trail ? stopLoss : trail;
    if (event.low <= stop) return { reason: stop === stopLoss ? 'stop-loss' : 'trailing-stop', price: event.open <= stop ? event.open : stop, qty };
  }
  if (tiers !== undefined && tiers.length > 0) {
    const tier = tiers[0]!;
    if (event.high >= tier.price) return { reason: 'take-profit', price: above(event, tier.price), qty: Math.min(tier.qty, qty), tier };
  }
  if (takeProfit !== undefined && event.high >= takeProfit) return { reason: 'take-profit', price: above(event, takeProfit), qty };
  if (roi !== undefined) {
    const price = roiPrice(roi, event.time);
    if (price !== undefined && event.high >= price) return { reason: 'roi', price: above(event, price), qty };
  }
  return undefined;
}

/**
 * After an event fired nothing more: a trailing stop that the event's high activates starts trailing, and
 * one trailing follows the high. It counts from the next event, since the high may have come after the low.
 */
export function followPeak(protection: Protection, event: PriceEvent): void {
  const { trailing } = protection;
  if (trailing === undefined || event.high < trailing.activateAt || event.high <= trailing.peak) return;
  trailing.peak = event.high;
}

/** After a tier filled: it is done, and the stop moves up to the tier's level for it, if that is higher. */
export function tierFilled(protection: Protection, tier: LadderTier): void {
  const { tiers } = protection;
  if (tiers !== undefined && tiers[0] === tier) tiers.shift();
  if (tier.stopTo !== undefined && !(tier.stopTo <= (protection.stopLoss ?? 0))) protection.stopLoss = tier.stopTo;
}

function above(event: PriceEvent, level: number): number {
  return event.open >= level ? event.open : level;
}

function roiPrice(steps: readonly RoiStep[], time: number): number | undefined {
  for (let i = 0; i < steps.length; i++) if (steps[i]!.from <= time) return steps[i]!.price;
  return undefined;
}

export function assertValidProtection(symbol: string, protection: Protection): void {
  const { qty, stopLoss, takeProfit } = protection;
  const where = `protection for ${symbol}`;
  if (!isPositive(qty)) throw new Error(`${where} has an invalid qty: ${qty}; it must be a positive number`);
  if (!watchesAny(protection)) throw new Error(`${where} sets neither a stop-loss nor a take-profit`);
  if (stopLoss !== undefined && !isPositive(stopLoss)) {
    throw new Error(`${where} has an invalid stop-loss: ${stopLoss}; it must be a positive number`);
  }
  if (takeProfit !== undefined && !isPositive(takeProfit)) {
    throw new Error(`${where} has an invalid take-profit: ${takeProfit}; it must be a positive number`);
  }
  if (stopLoss !== undefined && takeProfit !== undefined && stopLoss >= takeProfit) {
    throw new Error(`${where} has its stop-loss ${stopLoss} at or above its take-profit ${takeProfit}`);
  }
}

/** Whether any level is left to watch (a ladder's last tier may have been the only one). */
export function watchesAny(protection: Protection): boolean {
  const { stopLoss, takeProfit, tiers, trailing, roi } = protection;
  return stopLoss !== undefined || takeProfit !== undefined || (tiers !== undefined && tiers.length > 0) || trailing !== undefined || roi !== undefined;
}

function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}
