/** The rows the HTML report is drawn from, shared by the data builder and the thinning of long runs. */

export interface ReportEquityPoint {
  /** ms since the epoch */
  time: number;
  equity: number;
  drawdownPct: number;
}

export type CandleRow = [time: number, open: number, high: number, low: number, close: number];
export type TradeRow = [
  symbolIndex: number,
  entryTime: number,
  exitTime: number,
  qty: number,
  entryPrice: number,
  exitPrice: number,
  fees: number,
  pnl: number,
  pnlPct: number,
  exitReason: string,
];
export type EquityRow = [time: number, equity: number, drawdownPct: number];

/** The chart library takes times in seconds (UTCTimestamp); the bot keeps ms. */
export function seconds(ms: number): number {
  return ms / 1000;
}
