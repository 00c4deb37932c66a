/**
 * Rebalancing as plain arithmetic: the target quantities of an equity at a price map, and the legs that
 * bring the holdings back to them. No bus, no ledger: the caller (the rebalance trigger, later an allocations
 * layer per strategy) hands in an equity, the holdings and the prices, and gets the orders to place.
 *
 * The rule (README "Rebalancing"): with E the equity at the closes and w_i the target of asset i in percent,
 * the target value of asset i is E x w_i / 100. An asset worth more than that sells the difference, as a base
 * quantity (value - target) / price, all of it when its target is 0 so that no dust is left; one worth less
 * buys the difference, as a quote amount. A leg worth less than `minTradeQuote` is left out. The quote
 * currency's leg is what the others leave: it is never traded itself.
 *
 * Sizes are decided at the closes and filled at the next open with fees and slippage, so the weights after
 * are near the targets, not on them: a buy by quote amount spends it with its fee (the fill model sizes
 * qty = amount / (price x (1 + fee))), a sell by quantity receives its proceeds less the fee.
 */

/** One traded asset as the planner weighs it. */
export interface RebalanceAsset {
  symbol: string;
  /** Base quantity held. */
  qty: number;
  /** The price it is valued at (a close). */
  price: number;
  /** Target weight, percent of the equity. */
  targetPct: number;
}

export interface PlannedSell {
  symbol: string;
  /** Base quantity to sell. */
  qty: number;
  /** Its worth at the planning price. */
  quote: number;
  price: number;
  weightBeforePct: number;
  targetPct: number;
}

export interface PlannedBuy {
  symbol: string;
  /** Quote currency to spend, fee included. */
  quoteAmount: number;
  price: number;
  weightBeforePct: number;
  targetPct: number;
}

export type RebalanceReason = 'start' | 'threshold' | 'every';

/** What a rebalance decided at a period's close: sells first, then buys. */
export interface RebalancePlan {
  /** Open time of the period whose closes it was decided on. */
  time: number;
  /** Market time from which its orders may fill: the next period's open. */
  notBefore: number;
  reason: RebalanceReason;
  equity: number;
  /** `minTradeQuote`: the buys, cut to the cash once the sells filled, drop below it too. */
  minTradeQuote: number;
  sells: PlannedSell[];
  buys: PlannedBuy[];
}

/** The quantity of each asset that holds `targetPcts[i]` percent of `equity` at `prices[i]`. */
export function targetQuantities(equity: number, prices: readonly number[], targetPcts: readonly number[]): number[] {
  return prices.map((price, i) => (equity * targetPcts[i]!) / 100 / price);
}

/** The legs that bring `assets` back to their targets, for an account worth `equity`. */
export function planLegs(equity: number, assets: readonly RebalanceAsset[], minTradeQuote: number): { sells: PlannedSell[]; buys: PlannedBuy[] } {
  const sells: PlannedSell[] = [];
  const buys: PlannedBuy[] = [];
  if (!(equity > 0)) return { sells, buys };
  const targets = targetQuantities(
    equity,
    assets.map((a) => a.price),
    assets.map((a) => a.targetPct),
  );
  assets.forEach(({ symbol, qty, price, targetPct }, i) => {
    const value = qty * price;
    const weightBeforePct = (value / equity) * 100;
    const diff = (targets[i]! - qty) * price;
    if (Math.abs(diff) < minTradeQuote || diff === 0) return;
    if (diff < 0) {
      const sellQty = targetPct === 0 ? qty : qty - targets[i]!;
      sells.push({ symbol, qty: sellQty, quote: sellQty * price, price, weightBeforePct, targetPct });
    } else buys.push({ symbol, quoteAmount: diff, price, weightBeforePct, targetPct });
  });
  return { sells, buys };
}

/**
 * The buys cut to the cash there is once the sells filled: scaled down together by cash / their sum when
 * they ask for more, then those below `minTradeQuote` left out. Cash never goes below zero this way.
 */
export function fitBuys(buys: readonly PlannedBuy[], cash: number, minTradeQuote: number): PlannedBuy[] {
  let asked = 0;
  for (const b of buys) asked += b.quoteAmount;
  const scale = asked > cash ? Math.max(0, cash) / asked : 1;
  const fitted: PlannedBuy[] = [];
  for (const b of buys) {
    const quoteAmount = b.quoteAmount * scale;
    if (quoteAmount >= minTradeQuote && quoteAmount > 0) fitted.push(scale === 1 ? b : { ...b, quoteAmount });
  }
  return fitted;
}
