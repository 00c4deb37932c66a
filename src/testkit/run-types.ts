import type { EquityPoint } from '../backtest/equity-curve';
import type { BacktestMetrics } from '../backtest/metrics';
import type { BacktestSummary } from '../backtest/backtest-summary';
import type { OrderDenied } from '../execution/types';
import type { Signal } from '../strategy/signal';
import type { Fill, Order } from '../execution/types';
import type { Candle } from '../market/types';
import type { ClosedTrade } from '../portfolio/types';
import type { Params } from '../strategy/types';

/** One decision of the strategy, as the engine published it on the bus (`signal.emitted`). */
export interface StrategySignal {
  /** Index, in the candles given to runStrategy, of the candle whose close it was decided on. */
  index: number;
  /** That candle's open time (ms since 1970). */
  time: number;
  action: Signal['action'];
  reason: string;
  strategy: string;
  /** In [0, 1]; 1 when the strategy gave none. */
  strength: number;
  /** The close it was decided at; the order fills at the next candle's open. */
  price: number;
  /** An entry's stop-loss and take-profit in percent (its own, else the strategy's), and its share of the stake. */
  stopLossPct?: number;
  takeProfitPct?: number;
  size?: number;
  /** A reduce's share of the position. */
  fraction?: number;
}

/** The strategy broke: the engine disabled it on this candle and traded no more for it. */
export interface StrategyFailure {
  index: number;
  time: number;
  error: string;
}

/** Everything a backtest of one strategy over the given candles produced. */
export interface StrategyRun {
  strategy: string;
  /** The parameters it ran with: its defaults overlaid with the ones given. */
  params: Params;
  /** The candles played, as given (relabelled when symbol or timeframe was overridden). */
  candles: readonly Candle[];
  signals: StrategySignal[];
  /** Closed round trips: the rows of the backtest's trades.csv. */
  trades: ClosedTrade[];
  /** summary.json of the same backtest. */
  summary: BacktestSummary;
  /** Every figure of the backtest, also those summary.json leaves out (avgTradePct, bestTradePct...). */
  metrics: BacktestMetrics;
  orders: Order[];
  fills: Fill[];
  /** Orders the risk gate refused, with its reason. */
  denials: OrderDenied[];
  /** One point per candle. */
  equity: EquityPoint[];
  failure: StrategyFailure | undefined;
  /** What the engine logged as a warning or an error. */
  warnings: string[];
}
