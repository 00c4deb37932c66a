/**
 * What the risk engine lets through (after NautilusTrader's trading states): active takes every order,
 * reducing takes exits only, halted takes nothing. Protective exits the executor fires are not orders asked
 * of the engine: they run in every state.
 */
export type TradingState = 'active' | 'reducing' | 'halted';

const RANK: Readonly<Record<TradingState, number>> = { active: 0, reducing: 1, halted: 2 };

/** Of two states, the one that lets less through. */
export function stricter(a: TradingState, b: TradingState): boolean {
  return RANK[a] > RANK[b];
}
