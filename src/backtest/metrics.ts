import type { ClosedTrade } from '../portfolio/types';
import { EquityCurve, maxDrawdownPct, type EquityPoint } from './equity-curve';
import { periodReturns, periodsPerYear, sharpeRatio, sortinoRatio } from './risk-ratios';

/**
 * The figures of a backtest, written to metrics.json and the README. Percentages are in percent (12.5 means
 * 12.5 %). JSON holds no Infinity or NaN, so a figure that does not exist is null, never a stand-in number.
 *
 * - totalReturnPct: (last curve equity - startBalance) / startBalance x 100; 0 for an empty curve.
 * - buyHoldReturnPct: (lastClose - firstClose) / firstClose x 100 of the symbol; with several symbols the
 *   plain average of their returns (equal weights, as if the balance were split evenly at the start); 0 with none.
 * - maxDrawdownPct: largest (peak - equity) / peak x 100 over the curve points, the peak being the highest
 *   equity up to that point; >= 0.
 * - sharpe: per-period simple returns r[i] = e[i] / e[i-1] - 1 between consecutive curve points (a step from
 *   an equity <= 0 is left out); mean(r) / sample stdev(r) (divisor n - 1) x sqrt(periods per year), where
 *   periods per year = 365 x 24 x 3600 x 1000 / timeframe length in ms (crypto trades every day); risk-free
 *   rate 0. 0 with fewer than 2 returns or a stdev of 0.
 * - sortino: mean(r) / downside deviation x sqrt(periods per year), downside deviation
 *   = sqrt(sum(min(r, 0)^2) / n) over all n returns (target 0; the Sortino & Price, empyrical and quantstats
 *   definition). 0 with fewer than 2 returns or no losing period.
 * - trades: closed round trips.
 * - winRatePct: trades with pnl > 0 / trades x 100; 0 without trades.
 * - profitFactor: sum of positive pnl / |sum of negative pnl| (pnl after fees; break-even trades count in
 *   neither); null when no trade lost money, no trades at all included, since the ratio would be infinite or 0/0.
 * - avgTradePct: mean of the trades' pnlPct; 0 without trades.
 * - bestTradePct / worstTradePct: highest / lowest trade pnlPct; null without trades (0 would read as a
 *   break-even trade that never happened).
 * - exposurePct: curve points with a position open / curve points x 100; 0 for an empty curve.
 * - feesPaid: every fee paid, as given (positions still open have paid entry fees that no trade holds yet).
 */
export interface BacktestMetrics {
  totalReturnPct: number;
  buyHoldReturnPct: number;
  maxDrawdownPct: number;
  sharpe: number;
  sortino: number;
  trades: number;
  winRatePct: number;
  profitFactor: number | null;
  avgTradePct: number;
  bestTradePct: number | null;
  worstTradePct: number | null;
  exposurePct: number;
  feesPaid: number;
}

export interface BuyHoldPrices {
  firstClose: number;
  lastClose: number;
}

export interface MetricsInput {
  curve: EquityCurve | readonly EquityPoint[];
  trades: readonly ClosedTrade[];
  startBalance: number;
  /** ccxt-style candle timeframe of the curve's points, e.g. '1h'. */
  timeframe: string;
  buyHold: BuyHoldPrices | readonly BuyHoldPrices[];
  feesPaid: number;
}

export function computeMetrics(input: MetricsInput): BacktestMetrics {
  const { trades, startBalance } = input;
  if (!(startBalance > 0)) throw new Error(`start balance ${startBalance} must be positive`);
  const { equities, inPositionCount } = curveColumns(input.curve);
  const lastEquity = equities.length > 0 ? (equities[equities.length - 1] ?? startBalance) : startBalance;
  const returns = periodReturns(equities);
  const perYear = periodsPerYear(input.timeframe);
  return {
    totalReturnPct: ((lastEquity - startBalance) / startBalance) * 100,
    buyHoldReturnPct: buyHoldReturnPct(input.buyHold),
    maxDrawdownPct: maxDrawdownPct(equities),
    sharpe: sharpeRatio(returns, perYear),
    sortino: sortinoRatio(returns, perYear),
    ...tradeFigures(trades),
    exposurePct: equities.length > 0 ? (inPositionCount / equities.length) * 100 : 0,
    feesPaid: input.feesPaid,
  };
}

// A recorded EquityCurve is read in place: turning a million points into objects just to sum them is waste.
function curveColumns(curve: EquityCurve | readonly EquityPoint[]): { equities: ArrayLike<number>; inPositionCount: number } {
  if (curve instanceof EquityCurve) return { equities: curve.equityValues(), inPositionCount: curve.inPositionCount };
  return { equities: curve.map((p) => p.equity), inPositionCount: curve.filter((p) => p.inPosition).length };
}

function buyHoldReturnPct(buyHold: BuyHoldPrices | readonly BuyHoldPrices[]): number {
  const symbols: readonly BuyHoldPrices[] = isPriceList(buyHold) ? buyHold : [buyHold];
  if (symbols.length === 0) return 0;
  const returns = symbols.map(({ firstClose, lastClose }) => {
    if (!(firstClose > 0)) throw new Error(`buy & hold first close ${firstClose} must be positive`);
    return ((lastClose - firstClose) / firstClose) * 100;
  });
  return returns.reduce((sum, r) => sum + r, 0) / returns.length;
}

// Array.isArray does not narrow a readonly array out of a union; this guard does.
function isPriceList(buyHold: BuyHoldPrices | readonly BuyHoldPrices[]): buyHold is readonly BuyHoldPrices[] {
  return Array.isArray(buyHold);
}

type TradeFigures = Pick<BacktestMetrics, 'trades' | 'winRatePct' | 'profitFactor' | 'avgTradePct' | 'bestTradePct' | 'worstTradePct'>;

function tradeFigures(trades: readonly ClosedTrade[]): TradeFigures {
  let grossProfit = 0;
  let grossLoss = 0;
  let winners = 0;
  let pctSum = 0;
  let best = -Infinity;
  let worst = Infinity;
  for (const t of trades) {
    if (t.pnl > 0) {
      grossProfit += t.pnl;
      winners++;
    } else if (t.pnl < 0) {
      grossLoss -= t.pnl;
    }
    pctSum += t.pnlPct;
    best = Math.max(best, t.pnlPct);
    worst = Math.min(worst, t.pnlPct);
  }
  const n = trades.length;
  return {
    trades: n,
    winRatePct: n > 0 ? (winners / n) * 100 : 0,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : null,
    avgTradePct: n > 0 ? pctSum / n : 0,
    bestTradePct: n > 0 ? best : null,
    worstTradePct: n > 0 ? worst : null,
  };
}
