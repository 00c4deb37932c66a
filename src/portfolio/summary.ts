import type { RunStats } from './run-stats';
import type { StrategySummary } from './strategy-books';
import type { TradeTally } from './trade-tally';
import type { ClosedTrade, PortfolioSnapshot } from './types';

/** The last word of the portfolio at shutdown: what the summary and the --out files are made of. */
export interface PortfolioFinal {
  summary: RunSummary;
  /** Every closed trade of the run when `run.out` is set (for trades.csv); empty otherwise. */
  closedTrades: ClosedTrade[];
}

/** The end-of-run figures: printed on the terminal and written as summary.json. */
export interface RunSummary {
  quoteCurrency: string;
  startBalance: number;
  finalEquity: number;
  cash: number;
  positionsValue: number;
  totalReturnPct: number;
  realizedPnl: number;
  /** Closed round trips; a position still open at the end is not a trade yet. */
  trades: number;
  winners: number;
  winRatePct: number;
  /** Every fee paid, open positions' entry fees included. */
  feesPaid: number;
  maxDrawdownPct: number;
  candles: number;
  openPositions: number;
  /**
   * Only with a profit-share schedule (portfolio.profitShare), so that a run without one reports what it
   * always did. finalEquity is after the fees paid.
   */
  profitShare?: ProfitShareSummary;
  /** Only with per-strategy sub-ledgers (portfolio.allocations): each strategy's own figures. */
  byStrategy?: Record<string, StrategySummary>;
}

export interface ProfitShareSummary {
  /** Fees charged over the run, paid or still owed. */
  profitShared: number;
  /** Of those, what cash has not covered yet (positions were open): a debt of the account. */
  profitShareOwed: number;
  /** finalEquity less what is owed: what the account is worth to its owner after the profit share. */
  netEquity: number;
  /** netEquity against the start balance, in percent. */
  netReturnPct: number;
}

export interface RunSummaryInput {
  startBalance: number;
  snapshot: PortfolioSnapshot;
  tally: Pick<TradeTally, 'trades' | 'winners'>;
  stats: Pick<RunStats, 'maxDrawdownPct'>;
  candles: number;
  /** Absent: no profit sharing. */
  profitShare?: { charged: number; owed: number };
  byStrategy?: Record<string, StrategySummary>;
}

export function buildRunSummary({ startBalance, snapshot, tally, stats, candles, profitShare, byStrategy }: RunSummaryInput): RunSummary {
  const { trades, winners } = tally;
  const summary: RunSummary = {
    quoteCurrency: snapshot.quoteCurrency,
    startBalance,
    finalEquity: snapshot.equity,
    cash: snapshot.cash,
    positionsValue: snapshot.positionsValue,
    totalReturnPct: startBalance > 0 ? ((snapshot.equity - startBalance) / startBalance) * 100 : 0,
    realizedPnl: snapshot.realizedPnl,
    trades,
    winners,
    winRatePct: trades > 0 ? (winners / trades) * 100 : 0,
    feesPaid: snapshot.feesPaid,
    maxDrawdownPct: stats.maxDrawdownPct,
    candles,
    openPositions: snapshot.positions.length,
  };
  if (profitShare) {
    const netEquity = snapshot.equity - profitShare.owed;
    summary.profitShare = {
      profitShared: profitShare.charged,
      profitShareOwed: profitShare.owed,
      netEquity,
      netReturnPct: startBalance > 0 ? ((netEquity - startBalance) / startBalance) * 100 : 0,
    };
  }
  if (byStrategy) summary.byStrategy = byStrategy;
  return summary;
}

/** A few aligned lines for the terminal. */
export function formatSummary(summary: RunSummary): string {
  const money = (n: number) => `${n.toFixed(2)} ${summary.quoteCurrency}`;
  const sign = summary.totalReturnPct >= 0 ? '+' : '';
  return [
    `equity        ${summary.startBalance.toFixed(2)} -> ${money(summary.finalEquity)}`,
    `return        ${sign}${summary.totalReturnPct.toFixed(2)} %`,
    `trades        ${summary.trades}, win rate ${summary.winRatePct.toFixed(1)} %`,
    `fees paid     ${money(summary.feesPaid)}`,
    ...(summary.profitShare ? [`profit shared ${money(summary.profitShare.profitShared)}, net equity ${money(summary.profitShare.netEquity)}`] : []),
    `max drawdown  ${summary.maxDrawdownPct.toFixed(2)} %`,
    `candles       ${summary.candles}, ${summary.openPositions} position${summary.openPositions === 1 ? '' : 's'} open at the end`,
    ...Object.entries(summary.byStrategy ?? {}).map(
      ([name, s]) => `  ${name}: ${s.allocationPct} %, ${s.startBalance.toFixed(2)} -> ${money(s.finalEquity)} (${s.returnPct >= 0 ? '+' : ''}${s.returnPct.toFixed(2)} %), ${s.trades} trades`,
    ),
  ].join('\n');
}
