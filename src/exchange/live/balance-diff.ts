import type { Balances } from './types';

export interface BalanceDiff {
  asset: string;
  /** On the exchange: spendable now, and in all (free + locked in open orders). */
  free: number;
  total: number;
  /** What the ledger holds. */
  ledger: number;
  /** total - ledger: positive when the exchange holds more than the ledger thinks. */
  diff: number;
}

// ccxt puts these next to the per-asset entries of a Balances.
const NOT_ASSETS = new Set(['info', 'timestamp', 'datetime', 'free', 'used', 'total', 'debt']);

/**
 * The assets where the exchange and the ledger disagree by more than `tolerance` (in the asset's units),
 * sorted by asset. An asset missing on one side counts as 0 there.
 */
export function diffBalances(balances: Balances, ledger: Readonly<Record<string, number>>, tolerance = 1e-8): BalanceDiff[] {
  const assets = new Set<string>(Object.keys(ledger));
  for (const key of Object.keys(balances)) if (!NOT_ASSETS.has(key)) assets.add(key);
  const diffs: BalanceDiff[] = [];
  for (const asset of [...assets].sort()) {
    const entry = NOT_ASSETS.has(asset) ? undefined : balances[asset];
    const total = entry?.total ?? (entry?.free ?? 0) + (entry?.used ?? 0);
    const free = entry?.free ?? 0;
    const held = ledger[asset] ?? 0;
    const diff = total - held;
    if (Math.abs(diff) > tolerance) diffs.push({ asset, free, total, ledger: held, diff });
  }
  return diffs;
}
