/** Orders and fills, shared by the fill model, the brokers, the risk gate and the ledger. */

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';

/**
 * Why an order exists: a strategy's signal, a protective exit the broker runs for a position, the kill
 * switch's exit, or a leg of a rebalance (portfolio.rebalance).
 */
export type OrderReason = 'signal' | ProtectiveReason | 'end-of-run' | 'kill-switch' | 'operator' | 'rebalance';

/** The exits the executor fires itself from a position's levels (protective-exit.ts). */
export const PROTECTIVE_REASONS = ['stop-loss', 'trailing-stop', 'take-profit', 'roi'] as const;
export type ProtectiveReason = (typeof PROTECTIVE_REASONS)[number];

export interface Order {
  /** Unique per run: `<prefix>-<sequence>`. */
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  /**
   * Base quantity. For a buy sized in quote currency it is absent and `quoteAmount` is set instead: the
   * quantity is fixed at fill time as quoteAmount / (fill price x (1 + fee)), so fees and slippage never
   * spend cash that is not there.
   */
  qty?: number;
  quoteAmount?: number;
  /** Limit price, for limit orders. */
  limitPrice?: number;
  reason: OrderReason;
  /** Strategy (or 'risk') that asked for it. */
  origin: string;
  /** Clock time the order was created (ms). */
  createdAt: number;
  /**
   * Market time (ms) before which the order may not fill: the open of the candle after the one it was
   * decided on. It makes "decided on a close, filled at the next price" hold whatever order the agents see
   * a candle in.
   */
  notBefore?: number;
  /**
   * For an entry: stop-loss and take-profit in percent around its fill price, watched from the moment it
   * fills, so the rest of the very candle it filled in can trigger them.
   */
  protect?: EntryLevels;
}

/**
 * An entry's exit levels, in percent around its fill price; 0 or absent: none. The rules of each are in
 * protective-exit.ts.
 */
export interface EntryLevels {
  stopLossPct?: number;
  /** Sells what is left of the position when the price reaches it. */
  takeProfitPct?: number;
  /** A take-profit ladder: each tier sells its share of the entry when the price reaches it. */
  takeProfitTiers?: readonly TakeProfitTier[];
  /** A stop that follows the highest price since activation, this many percent below it. */
  trailingStopPct?: number;
  /** The trailing stop starts once the price is this many percent above the entry; 0: at once. */
  trailingActivationPct?: number;
  /** Minutes held -> the smallest profit in percent that exits the position (Freqtrade's minimal_roi). */
  roi?: RoiTable;
}

export interface TakeProfitTier {
  /** Percent above the entry price. */
  atPct: number;
  /** Percent of the entry's quantity to sell there. */
  sellPct: number;
  /** Once the tier filled, the stop-loss moves up to the entry price, or to this many percent above it. */
  moveStopTo?: 'breakeven' | number;
}

/** Minutes held (as keys, "0", "30"...) -> minimum profit in percent. */
export type RoiTable = Readonly<Record<string, number>>;

export type Liquidity = 'maker' | 'taker';

export interface Fill {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  /** Executed price, slippage included. */
  price: number;
  /** Fee paid, in the quote currency. */
  fee: number;
  liquidity: Liquidity;
  reason: OrderReason;
  /** Time of the price event that filled it (ms). */
  time: number;
  /**
   * Live: the part of a buy's commission the exchange took in the bought coin (Binance does, unless paid in
   * BNB), so the account holds qty - baseFee. The fee above is the same commission valued in quote.
   * Absent when the exchange did not say which currency it charged.
   */
  baseFee?: number;
}

/** Reason codes of a refused order; every refusal carries one, so "why did it not trade?" has an answer. */
export type DenialCode =
  | 'max-open-positions'
  | 'already-in-position'
  | 'no-position'
  | 'exit-pending'
  | 'below-min-notional'
  | 'insufficient-cash'
  | 'invalid-order'
  /** Live data went stale: no entry on prices that may be old. */
  | 'stale-data'
  /** The risk engine's trading state: reducing takes exits only, halted takes nothing. */
  | 'trading-reducing'
  | 'trading-halted'
  /** Per-strategy sub-ledgers (portfolio.allocations): the strategy has none, or the position is another's. */
  | 'no-allocation'
  | 'not-owner'
  // The risk engine's protections (risk.*): the entry waits or is cut, the trading state is untouched.
  /** The symbol's last trade lost: no entry in it until its cooldown ends. */
  | 'risk-cooldown'
  /** Positions and pending buys leave less than the minimum order under `risk.maxExposurePct`. */
  | 'max-exposure'
  /** The asset's positions leave less than the minimum order under `risk.maxAssetExposurePct`. */
  | 'max-asset-exposure'
  // Live trading: the exchange's market rules, checked before sending; nothing was sent.
  | 'unknown-market'
  | 'market-inactive'
  | 'below-min-amount'
  | 'above-max-amount'
  | 'above-max-notional'
  | 'price-out-of-range'
  // Live trading: the exchange answered that it did not place the order.
  | 'exchange-rejected'
  | 'insufficient-funds'
  | 'auth-failed'
  /** Refused before sending (inside a Retry-After) or answered 429/418. */
  | 'rate-limited'
  /** The exchange refused the request's timestamp twice, around a time resync. */
  | 'clock-skew'
  /** The outcome was unknown, and queries by client order id proved it was never placed. */
  | 'not-placed';

export interface OrderDenial {
  code: DenialCode;
  /** One sentence with the numbers that led to it. */
  message: string;
}

export interface FeeSchedule {
  /** Fraction of notional, e.g. 0.001 for 0.1 %. */
  maker: number;
  taker: number;
}

/** What the trade side says about an order on the bus. */
export interface OrderSubmitted {
  order: Order;
}
export interface OrderFilled {
  order: Order;
  fill: Fill;
}
export interface OrderDenied {
  order: Order;
  denial: OrderDenial;
}
export interface OrderCanceled {
  order: Order;
  reason: string;
}
