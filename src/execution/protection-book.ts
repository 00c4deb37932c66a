import { protectionFor, watchesAnything } from './exit-levels';
import type { PriceEvent } from './price-event';
import { assertValidProtection, followPeak, protectiveExitTrigger, tierFilled, watchesAny, type Protection, type ProtectiveTrigger } from './protective-exit';
import type { EntryLevels } from './types';

/**
 * One symbol's place in the book. The same object for the book's whole life, so a hot loop can keep it
 * beside its own per-symbol state and read `protection` as a field instead of looking the symbol up.
 */
export interface ProtectionSlot {
  readonly symbol: string;
  /** The long position's stop-loss / take-profit, when one is watched. */
  protection: Protection | undefined;
  /** The entry order the levels are set around, and its fills so far (live orders fill in pieces). */
  entryOrder: string | undefined;
  entryQty: number;
  entryCost: number;
  entryPrice: number;
  /** Market time of the entry's first fill: the ROI table counts the time held from it. */
  entryTime: number;
}

/** A protective exit that fired: sell `qty` of `symbol` at `price`, for `reason`. */
export interface FiredProtection extends ProtectiveTrigger {
  symbol: string;
  qty: number;
  /** A ladder tier: the rest of the position stays protected, and the same event may fire the next tier. */
  partial?: true;
}

/** What the book holds for a symbol, plain, for a journal or a status page. */
export interface ProtectionEntry {
  symbol: string;
  protection: Protection;
}

/** A slot as plain data: what a state file keeps of the book. */
export type ProtectionSlotState = Omit<ProtectionSlot, 'protection' | 'entryOrder' | 'entryTime'> & { protection?: Protection; entryOrder?: string; entryTime?: number };

// Below this fraction of its quantity a protection left after a partial sell is float dust, not a position.
const DUST = 1e-9;

/**
 * The one book of stop-loss and take-profit levels, shared by the paper fill model and the live exchange
 * executor, so both set, cut and fire them by the same rules:
 * - an entry's fill sets the levels around the average price of that entry's fills so far, covering the
 *   quantity protected before plus the fill;
 * - a sell cuts the protected quantity by what it sold (a sell already done must not be sold again by the
 *   stop), and a remainder that is float dust removes the protection;
 * - a price event that reaches a level fires it once: the protection goes as the exit is decided
 *   (protective-exit.ts says at what price, and which level wins inside one candle).
 */
export class ProtectionBook {
  private readonly slots = new Map<string, ProtectionSlot>();

  slot(symbol: string): ProtectionSlot {
    let slot = this.slots.get(symbol);
    if (slot === undefined) {
      slot = { symbol, protection: undefined, entryOrder: undefined, entryQty: 0, entryCost: 0, entryPrice: 0, entryTime: 0 };
      this.slots.set(symbol, slot);
    }
    return slot;
  }

  get(symbol: string): Readonly<Protection> | undefined {
    return this.slots.get(symbol)?.protection;
  }

  /** Watch these levels for the long position in `symbol`, replacing any set before. */
  set(symbol: string, protection: Protection): void {
    assertValidProtection(symbol, protection);
    this.slot(symbol).protection = { ...protection };
  }

  clear(symbol: string): void {
    const slot = this.slots.get(symbol);
    if (slot === undefined) return;
    slot.protection = undefined;
    slot.entryOrder = undefined;
  }

  /**
   * A fill of an entry order asking for `levels`, at market time `time`: the levels move to the entry's
   * average fill price so far (exit-levels.ts).
   */
  entryFilled(symbol: string, clientOrderId: string, qty: number, price: number, levels: EntryLevels | undefined, time = 0): void {
    if (levels === undefined || !watchesAnything(levels)) return;
    const slot = this.slot(symbol);
    const sameEntry = slot.entryOrder === clientOrderId;
    if (!sameEntry) {
      // A new entry: its first fill's price exactly, not qty x price / qty, which may differ in the last bit.
      slot.entryOrder = clientOrderId;
      slot.entryQty = qty;
      slot.entryCost = qty * price;
      slot.entryPrice = price;
      slot.entryTime = time;
    } else {
      slot.entryQty += qty;
      slot.entryCost += qty * price;
      slot.entryPrice = slot.entryCost / slot.entryQty;
    }
    const before = slot.protection;
    const protection = protectionFor((before?.qty ?? 0) + qty, { qty: slot.entryQty, price: slot.entryPrice, time: slot.entryTime }, levels, sameEntry ? before : undefined);
    if (protection) this.set(symbol, protection);
  }

  /** A sell of `qty`: the protection covers what is left, and goes when nothing is. */
  exitFilled(symbol: string, qty: number): void {
    const slot = this.slots.get(symbol);
    const protection = slot?.protection;
    if (slot === undefined || protection === undefined) return;
    const left = protection.qty - qty;
    if (left <= protection.qty * DUST) this.clear(symbol);
    else protection.qty = left;
  }

  /**
   * The exit `event` fires for the slot's position, if any. A full exit removes the protection; a ladder
   * tier cuts it by the tier's share, and the caller asks again with `stopsToo` false, for the next tier
   * the same event may reach. An event that fires nothing moves a trailing stop's peak.
   */
  fire(slot: ProtectionSlot, event: PriceEvent, stopsToo = true): FiredProtection | undefined {
    const { protection } = slot;
    if (protection === undefined) return undefined;
    const exit = protectiveExitTrigger(protection, event, stopsToo);
    if (exit === undefined) {
      if (protection.trailing !== undefined) followPeak(protection, event);
      return undefined;
    }
    const { reason, price, tier } = exit;
    if (tier !== undefined && protection.qty - exit.qty > protection.qty * DUST) {
      protection.qty -= exit.qty;
      tierFilled(protection, tier);
      if (!watchesAny(protection)) this.clear(slot.symbol);
      return { symbol: slot.symbol, qty: exit.qty, reason, price, partial: true };
    }
    this.clear(slot.symbol);
    return { symbol: slot.symbol, qty: protection.qty, reason, price };
  }

  /** The slots that hold anything, levels and the entry they are set around, for a state file. */
  toState(): ProtectionSlotState[] {
    const slots: ProtectionSlotState[] = [];
    for (const { symbol, protection, entryOrder, entryQty, entryCost, entryPrice, entryTime } of this.slots.values()) {
      if (protection === undefined && entryOrder === undefined) continue;
      // A deep copy: tiers and the trailing peak change in place.
      const saved = protection && (JSON.parse(JSON.stringify(protection)) as Protection);
      slots.push({ symbol, entryQty, entryCost, entryPrice, entryTime, ...(saved && { protection: saved }), ...(entryOrder !== undefined && { entryOrder }) });
    }
    return slots;
  }

  /** Takes back a state of toState(), into the same slot objects (a fill model may hold them already). */
  restore(slots: readonly ProtectionSlotState[]): void {
    for (const saved of slots) {
      const slot = this.slot(saved.symbol);
      slot.protection = saved.protection ? (JSON.parse(JSON.stringify(saved.protection)) as Protection) : undefined;
      slot.entryOrder = saved.entryOrder;
      slot.entryQty = saved.entryQty;
      slot.entryCost = saved.entryCost;
      slot.entryPrice = saved.entryPrice;
      // Files written before the ROI table existed have no entry time; it only matters to one.
      slot.entryTime = saved.entryTime ?? 0;
    }
  }

  /** Every watched protection, in the order the symbols were first seen. */
  entries(): ProtectionEntry[] {
    const entries: ProtectionEntry[] = [];
    for (const slot of this.slots.values()) if (slot.protection !== undefined) entries.push({ symbol: slot.symbol, protection: { ...slot.protection } });
    return entries;
  }
}

