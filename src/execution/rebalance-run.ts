import { splitSymbol } from '../market/symbols';
import type { PlannedBuy, RebalancePlan, RebalanceReason } from '../portfolio/rebalance';
import type { PortfolioSnapshot } from '../portfolio/types';
import type { Fill } from './types';

/** One filled leg of a rebalance: a row of rebalances.csv. */
export interface RebalanceLeg {
  /** Market time of the fill. */
  time: number;
  symbol: string;
  asset: string;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  fee: number;
  /** The asset's weight at the closes the plan was decided on. */
  weightBeforePct: number;
  /** Its weight once every leg filled, valued at the last prices seen then (the fills' open). */
  weightAfterPct: number;
}

/** A rebalance is over: every leg filled or was refused. `legs` is empty when nothing traded. */
export interface RebalanceCompleted {
  /** Open time of the period it was decided on. */
  time: number;
  reason: RebalanceReason;
  legs: RebalanceLeg[];
  /** Sum of the legs' qty x price: what turnoverPct adds up. */
  traded: number;
}

/** A rebalance in flight as plain data: what a state file keeps of it, so a restart finishes it. */
export interface RebalanceRunState {
  plan: RebalancePlan;
  sellsOut: string[];
  buysOut: string[];
  heldBuys: PlannedBuy[] | null;
  fills: Fill[];
}

/**
 * The orders of one rebalance on the trade side, between the plan and its last fill: which sells are out,
 * the buys held back until they filled, and the fills so far. The order manager owns one at a time and
 * feeds it the fills and refusals of its orders.
 */
export class RebalanceRun {
  /** Order ids of the sells not yet filled or refused. */
  readonly sellsOut = new Set<string>();
  /** Order ids of the buys sent and not yet done. */
  readonly buysOut = new Set<string>();
  /** The buys wait here until the sells are done; undefined once sent. */
  heldBuys: PlannedBuy[] | undefined;
  private readonly fills: Fill[] = [];
  private readonly weightBefore = new Map<string, number>();

  constructor(readonly plan: RebalancePlan) {
    this.heldBuys = plan.buys;
    for (const leg of plan.sells) this.weightBefore.set(leg.symbol, leg.weightBeforePct);
    for (const leg of plan.buys) this.weightBefore.set(leg.symbol, leg.weightBeforePct);
  }

  toState(): RebalanceRunState {
    return { plan: this.plan, sellsOut: [...this.sellsOut], buysOut: [...this.buysOut], heldBuys: this.heldBuys ?? null, fills: this.fills.map((f) => ({ ...f })) };
  }

  static fromState(state: RebalanceRunState): RebalanceRun {
    const run = new RebalanceRun(state.plan);
    for (const id of state.sellsOut) run.sellsOut.add(id);
    for (const id of state.buysOut) run.buysOut.add(id);
    run.heldBuys = state.heldBuys ?? undefined;
    run.fills.push(...state.fills);
    return run;
  }

  /** True for an order of this rebalance. */
  owns(clientOrderId: string): boolean {
    return this.sellsOut.has(clientOrderId) || this.buysOut.has(clientOrderId);
  }

  /** Symbols with a sell out: their prices are fed first, so the buys can follow at the same open. */
  sellsPendingIn(symbol: string, symbolOf: (id: string) => string | undefined): boolean {
    for (const id of this.sellsOut) if (symbolOf(id) === symbol) return true;
    return false;
  }

  filled(fill: Fill, stillPending: boolean): void {
    this.fills.push(fill);
    if (!stillPending) this.forget(fill.clientOrderId);
  }

  forget(clientOrderId: string): void {
    this.sellsOut.delete(clientOrderId);
    this.buysOut.delete(clientOrderId);
  }

  get sellsDone(): boolean {
    return this.sellsOut.size === 0;
  }

  get done(): boolean {
    return this.sellsOut.size === 0 && this.buysOut.size === 0 && this.heldBuys === undefined;
  }

  /** The legs as they filled, with the weights `after` (the books at the last prices) gives them. */
  completed(after: PortfolioSnapshot): RebalanceCompleted {
    const valueOf = new Map(after.positions.map((p) => [p.symbol, p.qty * p.lastPrice]));
    const { equity } = after;
    let traded = 0;
    const legs = this.fills.map((fill): RebalanceLeg => {
      traded += fill.qty * fill.price;
      return {
        time: fill.time,
        symbol: fill.symbol,
        asset: splitSymbol(fill.symbol).base,
        side: fill.side,
        qty: fill.qty,
        price: fill.price,
        fee: fill.fee,
        weightBeforePct: this.weightBefore.get(fill.symbol) ?? 0,
        weightAfterPct: equity > 0 ? ((valueOf.get(fill.symbol) ?? 0) / equity) * 100 : 0,
      };
    });
    return { time: this.plan.time, reason: this.plan.reason, legs, traded };
  }
}
