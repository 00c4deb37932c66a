import type { Fill } from '../execution/types';
import type { ClosedTrade, PositionView } from './types';

/**
 * A remainder this small, relative to the quantity held, is float dust from summing partial sells: the
 * position counts as closed, so it neither lingers as a phantom open position nor blocks the next entry.
 */
export const DUST_FRACTION = 1e-9;

/** A fill price is positive, so 0 can stand for "the fills of this side did not share one price". */
const MIXED = 0;

export interface SaleResult {
  /** PnL of the sold part, after its exit fee and its share of the entry fees. */
  realizedPnl: number;
  /** Set when this sale emptied the position. */
  closedTrade?: ClosedTrade;
}

/** Everything a position knows, as plain numbers: what a state file keeps of it. */
export interface OpenPositionState {
  symbol: string;
  entryTime: number;
  qty: number;
  avgEntry: number;
  unchargedEntryFees: number;
  lastPrice: number;
  boughtQty: number;
  entryNotional: number;
  entryFees: number;
  soldQty: number;
  exitNotional: number;
  exitFees: number;
  realizedPnl: number;
  /** The price every buy of the round trip filled at, 0 once two differed; absent in files written before. */
  entryFillPrice?: number;
  /** The same for the sells. */
  exitFillPrice?: number;
}

/**
 * The accounting of one long spot position from its first buy to the sell that empties it. Cash is the
 * ledger's business; this only tracks quantity, cost basis and what the round trip adds up to.
 */
export class OpenPosition {
  private qty = 0;
  private avgEntry = 0;
  /** Entry fees not yet charged against realized PnL: the unsold share. */
  private unchargedEntryFees = 0;
  private lastPrice: number;

  // Totals over the whole round trip, for the ClosedTrade.
  private boughtQty = 0;
  private entryNotional = 0;
  private entryFees = 0;
  private soldQty = 0;
  private exitNotional = 0;
  private exitFees = 0;
  private realizedPnl = 0;
  /**
   * The price all buys (sells) so far filled at, or MIXED once two differed. notional / qty would give the
   * same price back only to the ulp (19337.53 x q / q is 19337.529999999995 for some q), and the trade
   * should show the price the exchange filled at; an average is only used when there is no one such price.
   */
  private entryFillPrice = MIXED;
  private exitFillPrice = MIXED;

  constructor(
    readonly symbol: string,
    private readonly entryTime: number,
    firstPrice: number,
  ) {
    this.lastPrice = firstPrice;
  }

  /** The position exactly as it is: restored, it books the next fill to the same last bit. */
  toState(): OpenPositionState {
    const { symbol, entryTime, qty, avgEntry, unchargedEntryFees, lastPrice, boughtQty, entryNotional, entryFees, soldQty, exitNotional, exitFees, realizedPnl } = this;
    const { entryFillPrice, exitFillPrice } = this;
    return { symbol, entryTime, qty, avgEntry, unchargedEntryFees, lastPrice, boughtQty, entryNotional, entryFees, soldQty, exitNotional, exitFees, realizedPnl, entryFillPrice, exitFillPrice };
  }

  static fromState(state: OpenPositionState): OpenPosition {
    const position = new OpenPosition(state.symbol, state.entryTime, state.lastPrice);
    position.qty = state.qty;
    position.avgEntry = state.avgEntry;
    position.unchargedEntryFees = state.unchargedEntryFees;
    position.boughtQty = state.boughtQty;
    position.entryNotional = state.entryNotional;
    position.entryFees = state.entryFees;
    position.soldQty = state.soldQty;
    position.exitNotional = state.exitNotional;
    position.exitFees = state.exitFees;
    position.realizedPnl = state.realizedPnl;
    // An older file knows no fill price: its trade is priced by the average, as it was when it was written.
    position.entryFillPrice = state.entryFillPrice ?? MIXED;
    position.exitFillPrice = state.exitFillPrice ?? MIXED;
    return position;
  }

  get quantity(): number {
    return this.qty;
  }

  get value(): number {
    return this.qty * this.lastPrice;
  }

  get uncharged(): number {
    return this.unchargedEntryFees;
  }

  buy(fill: Fill): void {
    const newQty = this.qty + fill.qty;
    this.avgEntry = (this.qty * this.avgEntry + fill.qty * fill.price) / newQty;
    this.qty = newQty;
    this.unchargedEntryFees += fill.fee;
    this.entryFillPrice = this.boughtQty === 0 || this.entryFillPrice === fill.price ? fill.price : MIXED;
    this.boughtQty += fill.qty;
    this.entryNotional += fill.qty * fill.price;
    this.entryFees += fill.fee;
    this.lastPrice = fill.price;
  }

  /** Throws when the fill sells more than is held (dust aside): a broker bug, never something to absorb. */
  sell(fill: Fill): SaleResult {
    const dust = this.qty * DUST_FRACTION;
    if (fill.qty > this.qty + dust) {
      throw new Error(`sell of ${fill.qty} ${this.symbol} exceeds the ${this.qty} held (order ${fill.clientOrderId})`);
    }
    const closes = this.qty - fill.qty <= dust;
    // On the closing sale the whole remainder is charged, so no fee crumbs survive the proportional split.
    const feeShare = closes ? this.unchargedEntryFees : this.unchargedEntryFees * (fill.qty / this.qty);
    const realizedPnl = (fill.price - this.avgEntry) * fill.qty - fill.fee - feeShare;

    this.unchargedEntryFees -= feeShare;
    this.qty = closes ? 0 : this.qty - fill.qty;
    this.exitFillPrice = this.soldQty === 0 || this.exitFillPrice === fill.price ? fill.price : MIXED;
    this.soldQty += fill.qty;
    this.exitNotional += fill.qty * fill.price;
    this.exitFees += fill.fee;
    this.realizedPnl += realizedPnl;
    this.lastPrice = fill.price;

    return closes ? { realizedPnl, closedTrade: this.closedTrade(fill) } : { realizedPnl };
  }

  mark(price: number): void {
    this.lastPrice = price;
  }

  view(): PositionView {
    return {
      symbol: this.symbol,
      qty: this.qty,
      avgEntry: this.avgEntry,
      entryTime: this.entryTime,
      lastPrice: this.lastPrice,
      unrealizedPnl: (this.lastPrice - this.avgEntry) * this.qty,
      entryFees: this.unchargedEntryFees,
    };
  }

  /**
   * Each price is the one its side's fills shared, else averaged over every fill of the round trip, not the
   * running avgEntry: with an add after a partial exit the two differ, and qty x entryPrice must be what was
   * actually spent.
   */
  private closedTrade(closingFill: Fill): ClosedTrade {
    const entryPrice = this.entryFillPrice !== MIXED ? this.entryFillPrice : this.entryNotional / this.boughtQty;
    const exitPrice = this.exitFillPrice !== MIXED ? this.exitFillPrice : this.exitNotional / this.soldQty;
    const costBasis = this.entryNotional + this.entryFees;
    const trade: ClosedTrade = {
      symbol: this.symbol,
      entryTime: this.entryTime,
      exitTime: closingFill.time,
      side: 'long',
      qty: this.boughtQty,
      entryPrice,
      exitPrice,
      fees: this.entryFees + this.exitFees,
      pnl: this.realizedPnl,
      pnlPct: (this.realizedPnl / costBasis) * 100,
      exitReason: closingFill.reason,
    };
    return Object.freeze(trade);
  }
}
