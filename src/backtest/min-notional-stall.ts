import type { OrderDenied } from '../execution/types';
import type { PortfolioSnapshot } from '../portfolio/types';

/** The account held nothing and had less cash than the smallest order: from then on it could not enter. */
export interface MinNotionalStall {
  /** Clock time (ms) of the first entry refused so: the close of the candle it was decided on. */
  from: number;
  /** The account's cash then, all of it free since nothing was held or pending. */
  freeCash: number;
  minNotional: number;
  quote: string;
  /** Entry signals refused so, the first one included. */
  count: number;
}

/**
 * Watches a backtest for the account stalling under `trade.minNotional`. With `--stake all` and losses the cash
 * can fall below the minimum order; every entry signal is refused from then on, and the run goes on without
 * trading, which the summary counted only among the risk refusals. Only the refusal that cannot lift counts:
 * for lack of cash with no position left whose sale could bring the cash back, not a refusal because pending
 * buys or open positions hold the cash for now.
 */
export class MinNotionalWatch {
  private cash: number;
  private holding = false;
  private stall: MinNotionalStall | undefined;

  constructor(
    private readonly minNotional: number,
    private readonly quote: string,
    startCash: number,
  ) {
    this.cash = startCash;
  }

  /** Each update of the books, so a refusal is judged on the books it was decided on. */
  books(snapshot: PortfolioSnapshot): void {
    this.cash = snapshot.cash;
    this.holding = snapshot.positions.length > 0;
  }

  denied({ order, denial }: OrderDenied): void {
    if (denial.code !== 'insufficient-cash' || order.side !== 'buy' || order.reason !== 'signal') return;
    if (this.holding || this.cash >= this.minNotional) return;
    if (this.stall) this.stall.count += 1;
    else this.stall = { from: order.createdAt, freeCash: this.cash, minNotional: this.minNotional, quote: this.quote, count: 1 };
  }

  /** The stall, when there was one. */
  result(): MinNotionalStall | undefined {
    return this.stall && { ...this.stall };
  }
}

/** What the terminal report says of it under the metrics table: one sentence and a blank line, or nothing. */
export function minNotionalStallText(stall: MinNotionalStall | undefined): string {
  return stall ? `${minNotionalStallLine(stall)}\n\n` : '';
}

export function minNotionalStallLine(stall: MinNotionalStall): string {
  const signals = stall.count === 1 ? '1 entry signal was' : `${stall.count} entry signals were`;
  return (
    `from ${isoSeconds(stall.from)} the account's free cash (${stall.freeCash.toFixed(2)} ${stall.quote}) was below ` +
    `trade.minNotional (${stall.minNotional} ${stall.quote}): ${signals} refused`
  );
}

// toISOString formats the time it is given; it does not read the clock. Candle times have no milliseconds.
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
