import type { Fill } from '../execution/types';
import { splitSymbol } from '../market/symbols';
import { OpenPosition, type OpenPositionState } from './open-position';
import type { ClosedTrade, PortfolioSnapshot, PositionView } from './types';

export interface LedgerOptions {
  quoteCurrency: string;
  startBalance: number;
}

/** The books as plain numbers: what a state file keeps of them. */
export interface LedgerState {
  cash: number;
  fees: number;
  realized: number;
  /** Cash taken out for no trade (profit-share fees); absent in files written before there was any. */
  deducted?: number;
  /** In the order they were opened, which is the order the equity is summed in. */
  positions: OpenPositionState[];
}

/**
 * How far below zero a buy may leave cash, relative to what it cost: a buy sized to spend all the cash
 * lands a few ulps either side of zero, and that is rounding, not overspending.
 */
const CASH_NOISE = 1e-9;

/**
 * The books of a long-only spot account in one quote currency: cash, open positions, realized PnL and fees.
 * Every fill passes through here; an impossible fill (overselling, overspending) throws, since the risk gate
 * and the broker exist to prevent it and a silent fix would hide their bug.
 */
export class Ledger {
  readonly quoteCurrency: string;
  private cashBalance: number;
  private readonly positions = new Map<string, OpenPosition>();
  /** The same positions in the map's order, for the sums and snapshots: an array walk allocates no iterator. */
  private readonly openPositions: OpenPosition[] = [];
  private fees = 0;
  /** Symbols whose quote currency was checked: a fill's symbol is split once, not on every fill. */
  private readonly checkedSymbols = new Set<string>();
  private realized = 0;
  private deducted = 0;

  constructor({ quoteCurrency, startBalance }: LedgerOptions) {
    if (!Number.isFinite(startBalance) || startBalance < 0) {
      throw new Error(`start balance must be a finite number of at least 0, got ${startBalance}`);
    }
    this.quoteCurrency = quoteCurrency;
    this.cashBalance = startBalance;
  }

  toState(): LedgerState {
    const state: LedgerState = { cash: this.cashBalance, fees: this.fees, realized: this.realized, positions: this.openPositions.map((p) => p.toState()) };
    // Written only once there is one, so that a run without profit sharing writes the documents it always did.
    if (this.deducted !== 0) state.deducted = this.deducted;
    return state;
  }

  /** The books as `state` says, bit for bit. */
  static fromState(options: LedgerOptions, state: LedgerState): Ledger {
    const ledger = new Ledger(options);
    ledger.cashBalance = state.cash;
    ledger.fees = state.fees;
    ledger.realized = state.realized;
    ledger.deducted = state.deducted ?? 0;
    for (const saved of state.positions) {
      const position = OpenPosition.fromState(saved);
      ledger.positions.set(position.symbol, position);
      ledger.openPositions.push(position);
    }
    return ledger;
  }

  /**
   * Reconciliation with an exchange, which wins for balances: the cash is what the account holds. The
   * difference is neither profit nor fee; the caller records why.
   */
  setCash(cash: number): void {
    if (!Number.isFinite(cash) || cash < 0) throw new Error(`cannot set the cash to ${cash}: it must be a finite number of at least 0`);
    this.cashBalance = cash;
  }

  /**
   * Takes `amount` out of the cash for no trade (a profit-share fee, `reason`): equity falls by as much,
   * realized PnL does not. More than the cash is a bug of the caller, which must pay only what cash covers.
   */
  deduct(amount: number, reason: string): void {
    if (!Number.isFinite(amount) || amount < 0) throw new Error(`cannot deduct ${amount} ${this.quoteCurrency} for ${reason}: it must be a finite number of at least 0`);
    if (amount > this.cashBalance) {
      throw new Error(`cannot deduct ${amount} ${this.quoteCurrency} for ${reason}: only ${this.cashBalance} is left in cash`);
    }
    this.cashBalance -= amount;
    this.deducted += amount;
  }

  /**
   * Capital moved in (positive) or out (negative) of these books for no trade: a reallocation between
   * sub-ledgers. Neither PnL nor fee. Out past the cash is a bug of the caller, which moves free cash only.
   */
  moveCash(amount: number): void {
    if (!Number.isFinite(amount)) throw new Error(`cannot move ${amount} ${this.quoteCurrency}: it must be a finite number`);
    const after = this.cashBalance + amount;
    if (after < -CASH_NOISE * Math.abs(amount)) throw new Error(`cannot move ${-amount} ${this.quoteCurrency} out: only ${this.cashBalance} is in cash`);
    this.cashBalance = Math.max(0, after);
  }

  /**
   * Takes a coin the account already held into the books as a position bought at `price` at `time`, paying
   * nothing for it: its round trip's profit counts from here.
   */
  adopt(symbol: string, qty: number, price: number, time: number): void {
    if (this.positions.has(symbol)) throw new Error(`cannot adopt ${symbol}: a position in it is open already`);
    const fill: Fill = { clientOrderId: 'adopted', symbol, side: 'buy', qty, price, fee: 0, liquidity: 'taker', reason: 'signal', time };
    this.checkFill(fill);
    const position = new OpenPosition(symbol, time, price);
    position.buy(fill);
    this.positions.set(symbol, position);
    this.openPositions.push(position);
  }

  /** Books a fill; returns the round trip when this fill closed its position. */
  applyFill(fill: Fill): ClosedTrade | undefined {
    this.checkFill(fill);
    return fill.side === 'buy' ? this.applyBuy(fill) : this.applySell(fill);
  }

  /** Sets the price open positions are valued at. A symbol with no position has nothing to value: ignored. */
  mark(symbol: string, price: number): void {
    if (!isPositiveNumber(price)) throw new Error(`cannot mark ${symbol} at ${price}: a price must be a positive number`);
    this.positions.get(symbol)?.mark(price);
  }

  snapshot(time: number): PortfolioSnapshot {
    const positions = this.openPositions.map((p) => p.view());
    const positionsValue = this.positionsValue();
    return {
      time,
      quoteCurrency: this.quoteCurrency,
      cash: this.cashBalance,
      positions,
      positionsValue,
      equity: this.cashBalance + positionsValue,
      realizedPnl: this.realized,
      feesPaid: this.fees,
    };
  }

  equity(): number {
    return this.cashBalance + this.positionsValue();
  }

  cash(): number {
    return this.cashBalance;
  }

  position(symbol: string): PositionView | undefined {
    return this.positions.get(symbol)?.view();
  }

  /** Base quantity held of `symbol`, 0 when none: a lookup, no view built (the rebalancer asks every period). */
  heldQty(symbol: string): number {
    return this.positions.get(symbol)?.quantity ?? 0;
  }

  /** What the position in `symbol` is worth at its last mark, 0 when none. */
  valueOf(symbol: string): number {
    return this.positions.get(symbol)?.value ?? 0;
  }

  openPositionCount(): number {
    return this.positions.size;
  }

  /** Every fee paid, open positions' entry fees included. */
  feesPaid(): number {
    return this.fees;
  }

  /** Every amount taken out by `deduct`. */
  deductedTotal(): number {
    return this.deducted;
  }

  /** PnL of everything sold so far, partial exits of open positions included, after fees. */
  realizedPnl(): number {
    return this.realized;
  }

  private applyBuy(fill: Fill): undefined {
    const cost = fill.qty * fill.price + fill.fee;
    const cashAfter = this.cashBalance - cost;
    if (cashAfter < -CASH_NOISE * cost) {
      throw new Error(
        `buy of ${fill.qty} ${fill.symbol} at ${fill.price} costs ${cost} ${this.quoteCurrency} with fees, ` +
          `and only ${this.cashBalance} is left (order ${fill.clientOrderId})`,
      );
    }
    let position = this.positions.get(fill.symbol);
    if (!position) {
      position = new OpenPosition(fill.symbol, fill.time, fill.price);
      this.positions.set(fill.symbol, position);
      this.openPositions.push(position);
    }
    position.buy(fill);
    this.cashBalance = cashAfter;
    this.fees += fill.fee;
    return undefined;
  }

  private applySell(fill: Fill): ClosedTrade | undefined {
    const position = this.positions.get(fill.symbol);
    if (!position) throw new Error(`sell of ${fill.qty} ${fill.symbol} exceeds the 0 held (order ${fill.clientOrderId})`);
    const { realizedPnl, closedTrade } = position.sell(fill);
    this.cashBalance += fill.qty * fill.price - fill.fee;
    this.fees += fill.fee;
    this.realized += realizedPnl;
    if (closedTrade) {
      // Not kept here: a bot that runs for weeks must not grow with its history. The caller keeps what it needs.
      this.positions.delete(fill.symbol);
      this.openPositions.splice(this.openPositions.indexOf(position), 1);
    }
    return closedTrade;
  }

  private checkFill(fill: Fill): void {
    if (!this.checkedSymbols.has(fill.symbol)) {
      const { quote } = splitSymbol(fill.symbol);
      if (quote !== this.quoteCurrency) {
        throw new Error(`fill for ${fill.symbol} is quoted in ${quote}, but the ledger keeps its books in ${this.quoteCurrency}`);
      }
      this.checkedSymbols.add(fill.symbol);
    }
    if (!isPositiveNumber(fill.qty) || !isPositiveNumber(fill.price) || !(Number.isFinite(fill.fee) && fill.fee >= 0)) {
      throw new Error(
        `fill ${fill.clientOrderId} for ${fill.symbol} has qty ${fill.qty}, price ${fill.price} and fee ${fill.fee}; ` +
          'qty and price must be positive numbers and the fee a number of at least 0',
      );
    }
  }

  private positionsValue(): number {
    let value = 0;
    for (let i = 0; i < this.openPositions.length; i++) value += this.openPositions[i]!.value;
    return value;
  }
}

function isPositiveNumber(n: number): boolean {
  return Number.isFinite(n) && n > 0;
}
