import { OrderNotFound } from 'ccxt';
import { diffBalances, type BalanceDiff } from './balance-diff';
import type { ClientOrderIds } from './client-order-ids';
import { readWithRetries, type ExchangeAccess } from './exchange-access';
import type { OrderTracker, TrackedOrder, UpdateResult } from './order-tracker';
import { redactCcxtError } from './redact-ccxt-error';
import type { CcxtOrder } from './types';

export interface Ingested extends UpdateResult {
  /** The book did not hold the order and took it in now. */
  adopted: boolean;
}

/**
 * Routes one order update from any source into the book: applied when the book holds the order, adopted
 * when it carries our prefix (an unknown send that went through late, or a previous session's order),
 * dropped otherwise (someone else's order on the account). A previous session's fills are in the balances
 * this one started from, so only its later fills are reported; this session's are all reported.
 */
export function ingestUpdate(tracker: OrderTracker, ids: ClientOrderIds, update: CcxtOrder): Ingested {
  const id = update.clientOrderId;
  if (id !== undefined && !tracker.get(id) && ids.isOurs(id)) {
    const result = tracker.adopt(update, ids.isThisSession(id));
    return { ...result, adopted: result.tracked !== undefined };
  }
  return { ...tracker.apply(update), adopted: false };
}

export interface ReconcileSink {
  /** Every update that touched the book (fills to report, states to act on). */
  ingested(result: Ingested): void;
  /** An unresolved order proved never placed. */
  notPlaced(tracked: Readonly<TrackedOrder>, message: string): void;
}

export interface ReconcilerConfig {
  /** Markets whose open orders are scanned (binance wants a symbol for fetchOpenOrders). */
  symbols: readonly string[];
  /** As in ResolvePolicy: after this long "not found" proves an unresolved order was never placed. */
  notFoundIsFinalAfterMs?: number;
}

/**
 * Brings the book back in line with the exchange after anything that may have lost updates (a user stream
 * reconnect, a stream that never existed, an unresolved send): scans open orders of the traded markets,
 * adopts ours it does not know, then queries by client order id each order of the book still open or
 * unresolved that the scan did not show open. Runs do not overlap; a run asked for during one follows it.
 */
export class Reconciler {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly access: ExchangeAccess,
    private readonly tracker: OrderTracker,
    private readonly ids: ClientOrderIds,
    private readonly sink: ReconcileSink,
    private readonly config: ReconcilerConfig,
  ) {}

  /**
   * `strict` (the one before trading starts): a read that fails even after its retries fails the whole
   * reconciliation, instead of being reported and left to the next run.
   */
  reconcileOrders(options: { strict?: boolean } = {}): Promise<void> {
    if (options.strict) return this.runOnce(true);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again);
    };
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The exchange's balances against the ledger's (asset -> quantity); the caller decides what a difference means. */
  async reconcileBalances(ledger: Readonly<Record<string, number>>, tolerance?: number): Promise<BalanceDiff[]> {
    const balances = await readWithRetries(this.access, 'fetchBalance', () => this.access.exchange.fetchBalance());
    return diffBalances(balances, ledger, tolerance);
  }

  private async runOnce(strict = false): Promise<void> {
    const seenOpen = new Set<string>();
    const symbols = new Set([...this.config.symbols, ...this.tracker.active().map((t) => t.order.symbol)]);
    for (const symbol of symbols) {
      const open = await this.read(`fetchOpenOrders ${symbol}`, () => this.access.exchange.fetchOpenOrders(symbol), strict);
      for (const update of open ?? []) {
        const result = ingestUpdate(this.tracker, this.ids, update);
        if (result.tracked) {
          seenOpen.add(result.tracked.order.clientOrderId);
          this.sink.ingested(result);
        }
      }
    }
    // Pending orders belong to the submitter still; open ones the scan showed are up to date.
    const toQuery = this.tracker.active().filter((t) => t.state !== 'pending' && !seenOpen.has(t.order.clientOrderId));
    for (const tracked of toQuery) await this.queryOne(tracked, strict);
  }

  private async queryOne(tracked: Readonly<TrackedOrder>, strict: boolean): Promise<void> {
    const { clientOrderId, symbol } = tracked.order;
    const { exchange, clock, secrets, notify } = this.access;
    const askedAt = clock.now();
    try {
      const update = await readWithRetries(this.access, `fetchOrder ${clientOrderId}`, () =>
        exchange.fetchOrder(clientOrderId, symbol, { clientOrderId }),
      );
      this.sink.ingested(ingestUpdate(this.tracker, this.ids, update.clientOrderId === undefined ? { ...update, clientOrderId } : update));
    } catch (err) {
      if (!(err instanceof OrderNotFound)) {
        if (strict) throw new Error(`could not query order ${clientOrderId}: ${redactCcxtError(err, secrets)}`);
        notify('warn', `reconcile: could not query order ${clientOrderId}: ${redactCcxtError(err, secrets)}`);
        return;
      }
      const finalAfter = this.config.notFoundIsFinalAfterMs;
      const since = tracked.unresolvedSince;
      if (tracked.state === 'unresolved' && finalAfter !== undefined && since !== undefined && askedAt >= since + finalAfter) {
        if (this.tracker.markRejected(clientOrderId)) {
          this.sink.notPlaced(tracked, `order ${clientOrderId} was never placed: ${exchange.id} has no such order long after its send failed`);
        }
      } else if (tracked.state === 'open') {
        notify('warn', `reconcile: ${exchange.id} no longer knows open order ${clientOrderId}; it stays in the book`);
      }
    }
  }

  private async read<T>(what: string, work: () => Promise<T>, strict: boolean): Promise<T | undefined> {
    try {
      return await readWithRetries(this.access, what, work);
    } catch (err) {
      if (strict) throw new Error(`${what} failed: ${redactCcxtError(err, this.access.secrets)}`);
      this.access.notify('warn', `reconcile: ${what} failed: ${redactCcxtError(err, this.access.secrets)}`);
      return undefined;
    }
  }
}
