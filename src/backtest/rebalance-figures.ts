import { csvTable, isoTime } from '../core/csv';
import type { RebalanceCompleted } from '../execution/rebalance-run';
import type { CandleColumns } from '../market/candle-columns';
import { splitSymbol } from '../market/symbols';
import type { RebalanceSettings } from '../portfolio/rebalance-settings';
import type { EquityPoint } from './equity-curve';

/** What a rebalancing backtest adds to summary.json and the terminal report. */
export interface RebalanceFigures {
  /** Rebalances that traded at least one leg. */
  rebalances: number;
  /** Sum over every leg of qty x fill price, divided by the mean of the equity curve's points, x 100. */
  turnoverPct: number;
  /**
   * Buy and hold of the same start weights: the start balance split by the targets at the first period's
   * closes, held to the last close without fees or trades, as a return in percent.
   */
  holdReturnPct: number;
}

export function rebalanceFigures(input: {
  done: readonly RebalanceCompleted[];
  points: readonly Pick<EquityPoint, 'equity'>[];
  played: ReadonlyMap<string, CandleColumns>;
  settings: RebalanceSettings;
  startBalance: number;
}): RebalanceFigures {
  const { done, points, played, settings, startBalance } = input;
  let traded = 0;
  let rebalances = 0;
  for (const r of done) {
    traded += r.traded;
    if (r.legs.length > 0) rebalances += 1;
  }
  let sum = 0;
  for (const p of points) sum += p.equity;
  const meanEquity = points.length > 0 ? sum / points.length : startBalance;
  return { rebalances, turnoverPct: meanEquity > 0 ? (traded / meanEquity) * 100 : 0, holdReturnPct: holdReturnPct(played, settings, startBalance) };
}

/** The return of holding the target weights bought at the first closes (no fees), at the last closes. */
export function holdReturnPct(played: ReadonlyMap<string, CandleColumns>, settings: RebalanceSettings, startBalance: number): number {
  if (!(startBalance > 0)) return 0;
  let invested = 0;
  let end = 0;
  for (const [symbol, candles] of played) {
    if (candles.length === 0) continue;
    const part = (startBalance * (settings.targets?.[splitSymbol(symbol).base] ?? 0)) / 100;
    invested += part;
    end += (part / candles.close[0]!) * candles.close[candles.length - 1]!;
  }
  // What was not invested (the quote currency's weight, or a symbol with no candle) stays cash.
  end += startBalance - invested;
  return (end / startBalance - 1) * 100;
}

const COLUMNS = ['time', 'asset', 'side', 'qty', 'price', 'fee', 'weightBeforePct', 'weightAfterPct'] as const;

/** rebalances.csv: one row per filled leg, in fill order, times in ISO-8601 UTC, numbers at full precision. */
export function rebalancesCsv(done: readonly RebalanceCompleted[]): string {
  return csvTable(
    COLUMNS,
    done.flatMap((r) =>
      r.legs.map((l) => [isoTime(l.time), l.asset, l.side, String(l.qty), String(l.price), String(l.fee), String(l.weightBeforePct), String(l.weightAfterPct)]),
    ),
  );
}
