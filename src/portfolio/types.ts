/** The portfolio as other agents see it: plain, serialisable snapshots. */
import type { Fill } from '../execution/types';
import type { StrategyBookView } from './strategy-books';

export interface PositionView {
  symbol: string;
  /** Base quantity held (long only for now). */
  qty: number;
  /** Average entry price, fees excluded. */
  avgEntry: number;
  /** Time of the first fill of this position (ms). */
  entryTime: number;
  /** Last price the position was marked at. */
  lastPrice: number;
  unrealizedPnl: number;
  /** Entry fees paid so far, not yet charged against realized PnL. */
  entryFees: number;
}

export interface PortfolioSnapshot {
  /** Clock time of the snapshot (ms). */
  time: number;
  quoteCurrency: string;
  /** Free cash in the quote currency. */
  cash: number;
  positions: PositionView[];
  /** Sum of qty x last price over the positions. */
  positionsValue: number;
  /** cash + positionsValue: the invariant checked after every fill. */
  equity: number;
  realizedPnl: number;
  feesPaid: number;
  /** Each strategy's sub-ledger, with portfolio.allocations only. */
  strategies?: Readonly<Record<string, StrategyBookView>>;
}

/** A round trip, from the first entry fill to the fill that closed the position. */
export interface ClosedTrade {
  symbol: string;
  entryTime: number;
  exitTime: number;
  side: 'long';
  qty: number;
  entryPrice: number;
  exitPrice: number;
  /** Entry and exit fees, quote currency. */
  fees: number;
  /** After all fees. */
  pnl: number;
  /** pnl / (entry notional + entry fees) x 100. */
  pnlPct: number;
  exitReason: string;
  /** The strategy whose entry opened the position (an order's origin). */
  strategy?: string;
}

/** The books marked to the market at a period's close: what moved when no fill changed the positions. */
export interface PortfolioMarked {
  time: number;
  equity: number;
  positionsValue: number;
}

/** One fill as the books took it: what it left of its position. */
export interface PositionChanged {
  fill: Fill;
  /** Who asked for the order: a strategy's name, or 'risk' for a protective exit. */
  origin: string;
  /** The position after the fill; absent when the fill closed it. */
  position?: PositionView;
}

/** What a live start's reconciliation asks of the books: the exchange wins for balances. */
export interface BooksReconciliation {
  /** The cash the account holds, when the books' is off by more than the commission rule explains. */
  cash?: number;
  /** Coins the account held that no position explained, taken in as positions (state.adoptUnknownBalances). */
  adopt: Array<{ symbol: string; qty: number; price: number }>;
}
