import { insufficientBalance } from './binance-error';
import { r8 } from './decimal';

export interface AssetBalance {
  asset: string;
  free: number;
  locked: number;
}

/**
 * The account's spot balances: free and locked per asset, as Binance keeps them. Every change goes
 * through here and names the assets it touched, so the user stream can report exactly those
 * (outboundAccountPosition carries only the changed assets).
 */
export class Wallet {
  private readonly held = new Map<string, { free: number; locked: number }>();
  private changed = new Set<string>();

  constructor(initial: Readonly<Record<string, number>>) {
    for (const [asset, amount] of Object.entries(initial)) this.held.set(asset, { free: r8(amount), locked: 0 });
  }

  free(asset: string): number {
    return this.held.get(asset)?.free ?? 0;
  }

  /** Throws Binance's -2010 insufficient balance when less than `amount` of `asset` is free. */
  require(asset: string, amount: number): void {
    // Half a unit of slack: amounts are rounded to 8 decimals on both sides of the comparison.
    if (this.free(asset) + 0.5e-8 < amount) throw insufficientBalance();
  }

  /** Moves `amount` from free to locked, for an order resting on the book. */
  lock(asset: string, amount: number): void {
    this.require(asset, amount);
    const b = this.entry(asset);
    b.free = r8(b.free - amount);
    b.locked = r8(b.locked + amount);
  }

  /** Moves `amount` back from locked to free: an order filled or closed. */
  unlock(asset: string, amount: number): void {
    const b = this.entry(asset);
    b.locked = r8(b.locked - amount);
    b.free = r8(b.free + amount);
  }

  /** Takes `amount` out of locked for good: what a resting order paid. */
  spendLocked(asset: string, amount: number): void {
    const b = this.entry(asset);
    b.locked = r8(b.locked - amount);
  }

  /** Adds `amount` (negative: takes it) to free. */
  add(asset: string, amount: number): void {
    const b = this.entry(asset);
    b.free = r8(b.free + amount);
  }

  /** Every asset the account ever held, ascending by name. */
  snapshot(): AssetBalance[] {
    return [...this.held.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([asset, b]) => ({ asset, ...b }));
  }

  /** The assets changed since the last call, with their balances now. */
  takeChanged(): AssetBalance[] {
    const changed = [...this.changed].sort().map((asset) => ({ asset, free: this.free(asset), locked: this.held.get(asset)?.locked ?? 0 }));
    this.changed = new Set();
    return changed;
  }

  private entry(asset: string): { free: number; locked: number } {
    this.changed.add(asset);
    let b = this.held.get(asset);
    if (!b) {
      b = { free: 0, locked: 0 };
      this.held.set(asset, b);
    }
    return b;
  }
}
