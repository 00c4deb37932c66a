import type { TradeState } from '../execution/order-manager';
import type { Order } from '../execution/types';
import type { BooksState } from '../portfolio/books';
import type { ClosedTrade, PositionView } from '../portfolio/types';
import type { Journal, JournalEvent } from './journal';

/** What a state file says, read once: the `state show` page and the `state export` files are made of it. */
export interface StateReport {
  file: string;
  meta: Readonly<Record<string, string>>;
  books: BooksState | undefined;
  trade: TradeState | undefined;
  trades: ClosedTrade[];
  events: JournalEvent[];
}

/** An open position as the state file shows it: the portfolio's view, and the levels watched for it. */
export type PositionRow = Omit<PositionView, 'entryFees'> & { stopLoss: number | undefined; takeProfit: number | undefined };

export function readStateReport(journal: Journal, eventLimit: number): StateReport {
  const saved = journal.load();
  return {
    file: journal.file,
    meta: saved.meta,
    books: saved.docs.get('portfolio') as BooksState | undefined,
    trade: saved.docs.get('trade') as TradeState | undefined,
    trades: saved.trades,
    events: journal.recent(eventLimit),
  };
}

/** The open positions, with the levels the protection book watches for them. */
export function positionRows(report: StateReport): PositionRow[] {
  const levels = new Map((report.trade?.protections ?? []).map((p) => [p.symbol, p.protection]));
  return (report.books?.ledger.positions ?? []).map((p) => ({
    symbol: p.symbol,
    qty: p.qty,
    avgEntry: p.avgEntry,
    entryTime: p.entryTime,
    lastPrice: p.lastPrice,
    unrealizedPnl: (p.lastPrice - p.avgEntry) * p.qty,
    stopLoss: levels.get(p.symbol)?.stopLoss,
    takeProfit: levels.get(p.symbol)?.takeProfit,
  }));
}

/** The orders still open: pending paper orders, or live orders the exchange may still hold. */
export function openOrders(report: StateReport): Order[] {
  const executor = report.trade?.executor;
  if (!executor) return [];
  return executor.kind === 'paper' ? executor.orders : executor.orders.map((t) => t.order);
}

/** The `state show` page: the account, its positions, its open orders and the newest journal events. */
export function formatStateReport(report: StateReport): string {
  const { meta, books } = report;
  const lines: string[] = [];
  const run = [meta['mode'], meta['source'], meta['seed'] !== undefined ? `seed ${meta['seed']}` : undefined, meta['symbols'], meta['timeframe']].filter((x) => x !== undefined);
  lines.push(`state file ${report.file}: ${run.join(', ')}${meta['createdAt'] ? `, created ${meta['createdAt']}` : ''}`);
  if (!books) {
    lines.push('account: nothing written yet');
  } else {
    const positions = positionRows(report);
    const equity = books.ledger.cash + positions.reduce((sum, p) => sum + p.qty * p.lastPrice, 0);
    lines.push(
      `account: cash ${money(books.ledger.cash)}, equity ${money(equity)} (positions at their last prices), start ${money(books.startBalance)}, ` +
        `realized ${signed(books.ledger.realized)}, fees ${money(books.ledger.fees)}, ${books.tally.trades} closed trade(s), ${books.periods} candle period(s)${books.ended ? ', run ended' : ''}`,
    );
    lines.push(`positions (${positions.length}):`);
    for (const p of positions) {
      lines.push(
        `  ${p.symbol}  qty ${p.qty.toPrecision(6)}  entry ${p.avgEntry.toPrecision(8)} at ${iso(p.entryTime)}  last ${p.lastPrice.toPrecision(8)}  ` +
          `unrealized ${signed(p.unrealizedPnl)}  stop-loss ${level(p.stopLoss)}  take-profit ${level(p.takeProfit)}`,
      );
    }
  }
  const orders = openOrders(report);
  lines.push(`open orders (${orders.length}):`);
  for (const o of orders) {
    const size = o.quoteAmount !== undefined ? `${money(o.quoteAmount)} quote` : `qty ${o.qty?.toPrecision(6)}`;
    lines.push(`  ${o.clientOrderId}  ${o.side} ${o.type} ${o.symbol} ${size} (${o.origin}, ${o.reason}) created ${iso(o.createdAt)}`);
  }
  lines.push(`last ${report.events.length} journal event(s):`);
  for (const e of report.events) lines.push(`  ${iso(e.time)}  ${e.kind}  ${JSON.stringify(e.data)}`);
  return `${lines.join('\n')}\n`;
}

function money(value: number): string {
  return value.toFixed(2);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}

function level(value: number | undefined): string {
  return value === undefined ? '-' : value.toPrecision(8);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
