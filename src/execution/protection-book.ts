import type { PriceEvent } from './price-event';
import { assertValidProtection, protectiveExitTrigger, type Protection, type ProtectiveTrigger } from './protective-exit';
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
}

/** A protective exit that fired: sell `qty` of `symbol` at `price`, for `reason`. */
export interface FiredProtection extends ProtectiveTrigger {
  symbol: string;
  qty: number;
}

/** What the book holds for a symbol, plain, for a journal or a status page. */
export interface ProtectionEntry {
  symbol: string;
  protection: Protection;
}

/** A slot as plain data: what a state file keeps of the book. */
export type ProtectionSlotState = Omit<ProtectionSlot, 'protection' | 'entryOrder'> & { protection?: Protection; entryOrder?: string };

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
      slot = { symbol, protection: undefined, entryOrder: undefined, entryQty: 0, entryCost: 0, entryPrice: 0 };
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

  /** A fill of an entry order asking for `levels`: the levels move to the entry's average fill price so far. */
  entryFilled(symbol: string, clientOrderId: string, qty: number, price: number, levels: EntryLevels | undefined): void {
    const { stopLossPct = 0, takeProfitPct = 0 } = levels ?? {};
    if (stopLossPct <= 0 && takeProfitPct <= 0) return;
    const slot = this.slot(symbol);
    if (slot.entryOrder !== clientOrderId) {
      // A new entry: its first fill's price exactly, not qty x price / qty, which may differ in the last bit.
      slot.entryOrder = clientOrderId;
      slot.entryQty = qty;
      slot.entryCost = qty * price;
      slot.entryPrice = price;
    } else {
      slot.entryQty += qty;
      slot.entryCost += qty * price;
      slot.entryPrice = slot.entryCost / slot.entryQty;
    }
    const held = slot.protection?.qty ?? 0;
    const average = slot.entryPrice;
    this.set(symbol, {
      qty: held + qty,
      ...(stopLossPct > 0 ? { stopLoss: average * (1 - stopLossPct / 100) } : {}),
      ...(takeProfitPct > 0 ? { takeProfit: average * (1 + takeProfitPct / 100) } : {}),
    });
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

  /** The exit `event` fires for the slot's position, if any; the protection is gone once it has fired. */
  fire(slot: ProtectionSlot, event: PriceEvent): FiredProtection | undefined {
    const { protection } = slot;
    if (protection === undefined) return undefined;
    const trigger = protectiveExitTrigger(protection, event);
    if (trigger === undefined) return undefined;
    this.clear(slot.symbol);
    return { symbol: slot.symbol, qty: protection.qty, reason: trigger.reason, price: trigger.price };
  }

  /** The slots that hold anything, levels and the entry they are set around, for a state file. */
  toState(): ProtectionSlotState[] {
    const slots: ProtectionSlotState[] = [];
    for (const { symbol, protection, entryOrder, entryQty, entryCost, entryPrice } of this.slots.values()) {
      if (protection === undefined && entryOrder === undefined) continue;
      slots.push({ symbol, entryQty, entryCost, entryPrice, ...(protection && { protection: { ...protection } }), ...(entryOrder !== undefined && { entryOrder }) });
    }
    return slots;
  }

  /** Takes back a state of toState(), into the same slot objects (a fill model may hold them already). */
  restore(slots: readonly ProtectionSlotState[]): void {
    for (const saved of slots) {
      const slot = this.slot(saved.symbol);
      slot.protection = saved.protection ? { ...saved.protection } : undefined;
      slot.entryOrder = saved.entryOrder;
      slot.entryQty = saved.entryQty;
      slot.entryCost = saved.entryCost;
      slot.entryPrice = saved.entryPrice;
    }
  }

  /** Every watched protection, in the order the symbols were first seen. */
  entries(): ProtectionEntry[] {
    const entries: ProtectionEntry[] = [];
    for (const slot of this.slots.values()) if (slot.protection !== undefined) entries.push({ symbol: slot.symbol, protection: { ...slot.protection } });
    return entries;
  }
}
