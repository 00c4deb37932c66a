import { NetworkError, OrderNotFound } from 'ccxt';
import type { Clock, Timer } from '../../core/clock';
import type { FeeSchedule, Fill, Order } from '../../execution/types';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../with-retries';
import { BINANCE_CLIENT_ID, type ClientOrderIds } from './client-order-ids';
import { readWithRetries, type ExchangeAccess } from './exchange-access';
import { OrderSubmitter, type SubmitOutcome } from './order-submitter';
import { sizeOrder } from './order-rules';
import { isTerminal, OrderTracker, type TrackedOrderState } from './order-tracker';
import { ingestUpdate, Reconciler, type Ingested } from './reconciler';
import { redactCcxtError, redactError } from './redact-ccxt-error';
import { RequestGate, sleep } from './request-gate';
import { DEFAULT_RESOLVE_POLICY, type ResolvePolicy } from './resolve-order';
import type { BalanceDiff } from './balance-diff';
import type { CcxtOrder, LiveDenial, LiveExchange, NoticeLevel } from './types';

export interface BrokerEvents {
  onFill(fill: Fill, order: Order): void;
  onRejected(order: Order, denial: LiveDenial): void;
  onCanceled(order: Order, reason: string): void;
  /** The send's outcome could not be settled; the order stays in the book and reconciliation keeps asking. */
  onUnknown(order: Order, reason: string): void;
  onNotice(level: NoticeLevel, message: string): void;
  /** The user stream dropped (with the error's class) or answers again. */
  onConnection?(connected: boolean, reason: string, kind?: string): void;
  /** The exchange has the order (createOrder's answer, or found after an unknown). */
  onAccepted?(order: Order): void;
  /** An order of ours the book did not know, found on the exchange. */
  onAdopted?(order: Order): void;
}

export interface ExchangeBrokerConfig {
  exchange: LiveExchange;
  clock: Clock;
  ids: ClientOrderIds;
  /** Markets traded: their open orders are scanned when reconciling. */
  symbols: readonly string[];
  /** Rates fills are charged at, and quote-sized buys are sized with. */
  fees: FeeSchedule;
  slippageBps: number;
  /** apiKey, secret, password: never in a message the broker builds. */
  secrets?: readonly (string | undefined)[];
  /** Reads and cancels. */
  retry?: RetryPolicy;
  /** Settling an unknown createOrder; by default binance's recvWindow makes "not found" final. */
  resolve?: ResolvePolicy;
  /** Longest Retry-After an order waits out before it is refused (default 10 s). */
  maxGateWaitMs?: number;
  /** Pause after a 429/418 without Retry-After (default 10 s). */
  rateLimitFallbackMs?: number;
  /** Reconcile interval without a user stream (default 10 s), and as a safety net with one (default 60 s). */
  pollIntervalMs?: number;
  streamPollIntervalMs?: number;
  /** Backoff between user-stream reconnects (default 1 s doubling to 60 s). */
  reconnect?: { baseDelayMs: number; maxDelayMs: number };
}

/** A user stream connection that lasted this long was healthy: its drop restarts the reconnect backoff. */
const HEALTHY_CONNECTION_MS = 10_000;

/** Orders Binance may still place this long after a send failed: recvWindow plus margin for clock offset. */
const RECV_WINDOW_MARGIN_MS = 5000;

/**
 * The live broker: sizes an order to the market's rules, sends it once (order-submitter.ts), keeps the book
 * (order-tracker.ts) current from the user stream (watchOrders, reconnecting with backoff and reconciling
 * after each reconnect) and from polling (reconciler.ts), and reports fills, refusals and cancellations
 * through the callbacks. Stop-loss and take-profit of live positions are not here: the exchange executor runs them
 * client-side and sends their exits through submit().
 */
export class ExchangeBroker {
  private readonly access: ExchangeAccess;
  private readonly tracker: OrderTracker;
  private readonly submitter: OrderSubmitter;
  private readonly reconciler: Reconciler;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly cancelReasons = new Map<string, string>();
  /** After this long "not found" proves an unresolved order was never placed (undefined: never). */
  private readonly notFoundIsFinalAfterMs: number | undefined;
  private settleTimer: Timer | undefined;
  private running = false;
  /**
   * Set once stop() is done: the book as it stood then, which is what the owner heard of. Nothing is
   * reported after it, so a late answer cannot reach books that have stopped; the next session's
   * reconciliation settles it from what was saved.
   */
  private stoppedBook: TrackedOrderState[] | undefined;
  /** stop() has begun: no new order is taken. */
  private closing = false;
  private pollTimer: Timer | undefined;

  constructor(
    private readonly config: ExchangeBrokerConfig,
    private readonly events: BrokerEvents,
  ) {
    const { exchange, clock } = config;
    const gate = new RequestGate(clock, {
      retryAfterHeader: () => exchange.last_response_headers?.['Retry-After'],
      fallbackMs: config.rateLimitFallbackMs ?? 10_000,
    });
    const secrets = config.secrets ?? [];
    this.access = { exchange, clock, gate, retry: config.retry ?? DEFAULT_RETRY_POLICY, secrets, notify: (level, message) => this.notice(level, message) };
    const resolve = config.resolve ?? defaultResolvePolicy(exchange);
    this.notFoundIsFinalAfterMs = resolve.notFoundIsFinalAfterMs;
    this.tracker = new OrderTracker(clock, { fees: config.fees });
    this.submitter = new OrderSubmitter(this.access, { resolve, maxGateWaitMs: config.maxGateWaitMs ?? 10_000 });
    this.reconciler = new Reconciler(
      this.access,
      this.tracker,
      config.ids,
      {
        ingested: (result) => this.handle(result),
        notPlaced: (tracked, message) => this.emit(() => this.events.onRejected(tracked.order, { code: 'not-placed', message })),
      },
      { symbols: config.symbols, ...(resolve.notFoundIsFinalAfterMs !== undefined && { notFoundIsFinalAfterMs: resolve.notFoundIsFinalAfterMs }) },
    );
  }

  /**
   * Loads markets, starts the user stream or polling, and reconciles: adopts our orders found on the
   * exchange, settles the ones a previous session left (restoreOrders), and fails when it cannot.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.stoppedBook = undefined;
    this.closing = false;
    const { exchange } = this.config;
    // reload=true each attempt: ccxt keeps a failed loadMarkets promise and would hand it back otherwise.
    await readWithRetries(this.access, 'loadMarkets', () => exchange.loadMarkets(true)).catch((err: unknown) => {
      throw redactError(err, this.access.secrets);
    });
    this.running = true;
    const streaming = exchange.has?.['watchOrders'] === true && exchange.watchOrders !== undefined;
    // The stream first, so updates during the first reconciliation are not lost.
    if (streaming) void this.streamLoop();
    this.poll(streaming ? (this.config.streamPollIntervalMs ?? 60_000) : (this.config.pollIntervalMs ?? 10_000));
    // Nothing trades before the book agrees with the exchange: what a previous session left, and ours.
    try {
      await this.reconciler.reconcileOrders({ strict: true });
    } catch (err) {
      this.halt();
      throw new Error(`reconciling the orders with ${exchange.id} failed, so nothing was traded: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.scheduleSettlement();
  }

  /**
   * Refuses new orders, waits up to `drainMs` for the answers to the ones already sent (a market order sent
   * fills whatever we do, and its fill belongs in the books that are still running), then stops the stream
   * loop and polling and reports nothing more. Orders on the exchange stay there; ccxt's close() is the
   * owner's.
   */
  async stop(drainMs = 0): Promise<void> {
    // The stream and polling go on while the answers are awaited: either may bring them.
    this.closing = true;
    if (drainMs > 0 && this.inFlight.size > 0) await this.drain(drainMs);
    this.halt();
    this.stoppedBook = this.tracker.snapshot();
  }

  /**
   * Sends `order`, sized at `price` (the current price: market orders are checked and quote-sized at it).
   * Resolves when the outcome is known or given up on; the callbacks report it too.
   */
  async submit(order: Order, price: number): Promise<SubmitOutcome> {
    if (!this.running || this.closing) throw new Error(`the live broker is ${this.running ? 'stopping' : 'not running'}; cannot submit ${order.clientOrderId}`);
    if (this.tracker.get(order.clientOrderId)) throw new Error(`order ${order.clientOrderId} was already submitted`);
    if (!BINANCE_CLIENT_ID.test(order.clientOrderId)) {
      return this.refuse(order, { code: 'invalid-order', message: `client order id "${order.clientOrderId}" is not valid for the exchange` });
    }
    const sizing = sizeOrder(this.config.exchange, order, price, { fees: this.config.fees, slippageBps: this.config.slippageBps, secrets: this.access.secrets });
    if (!sizing.ok) return this.refuse(order, sizing.denial);
    const { amount, price: limit } = sizing.sized;
    // In the book before the send: a stream update racing createOrder's answer must find it.
    this.tracker.track(order, amount);
    const request = { clientOrderId: order.clientOrderId, symbol: order.symbol, type: order.type, side: order.side, amount, ...(limit !== undefined && { price: limit }) };
    // The submitter settles every exchange error itself; anything else escaping is a bug, and the order
    // may still have gone out, so it is kept as unresolved rather than dropped.
    const sending = this.submitter.submit(request).catch((err: unknown): SubmitOutcome => ({ kind: 'unresolved', reason: redactCcxtError(err, this.access.secrets) }));
    this.inFlight.set(order.clientOrderId, sending);
    try {
      const outcome = await sending;
      this.settle(order, outcome);
      return outcome;
    } finally {
      this.inFlight.delete(order.clientOrderId);
    }
  }

  /** Cancels an order by client order id; true when it ends canceled (part of it may have filled first). */
  async cancel(clientOrderId: string, reason = 'canceled by the bot'): Promise<boolean> {
    // Cancelling before createOrder's outcome is known could miss an order that lands right after.
    await this.inFlight.get(clientOrderId)?.catch(() => undefined);
    const tracked = this.tracker.get(clientOrderId);
    if (!tracked || isTerminal(tracked.state)) return false;
    const { symbol } = tracked.order;
    const { exchange } = this.config;
    this.cancelReasons.set(clientOrderId, reason);
    try {
      const update = await readWithRetries(this.access, `cancelOrder ${clientOrderId}`, () =>
        exchange.cancelOrder(tracked.exchangeOrderId ?? clientOrderId, symbol, { clientOrderId }),
      );
      // Binance answers a cancel with the cancel request's own clientOrderId (ours is origClientOrderId).
      this.ingest({ ...update, clientOrderId });
    } catch (err) {
      if (!(err instanceof OrderNotFound)) {
        this.notice('warn', `could not cancel ${clientOrderId}: ${redactCcxtError(err, this.access.secrets)}`);
        return false;
      }
      // Filled or canceled meanwhile, or never placed: ask where it stands.
      await this.reconcile();
    }
    return this.tracker.get(clientOrderId)?.state === 'canceled';
  }

  /** Runs a reconciliation of orders now (also done after each stream reconnect and on the poll). */
  reconcile(): Promise<void> {
    return this.reconciler.reconcileOrders().catch((err: unknown) => {
      this.notice('error', `reconciliation failed: ${redactCcxtError(err, this.access.secrets)}`);
    });
  }

  /** The exchange's balances against the ledger's view (asset -> quantity). */
  reconcileBalances(ledger: Readonly<Record<string, number>>, tolerance?: number): Promise<BalanceDiff[]> {
    return this.reconciler.reconcileBalances(ledger, tolerance).catch((err: unknown) => {
      throw redactError(err, this.access.secrets);
    });
  }

  /** The book's orders still in play, for a state file; after stop(), as they stood when it stopped. */
  snapshotOrders(): TrackedOrderState[] {
    return this.stoppedBook ?? this.tracker.snapshot();
  }

  /** A previous session's orders (before start(), whose reconciliation then settles them). */
  restoreOrders(orders: readonly TrackedOrderState[]): void {
    this.tracker.restore(orders);
  }

  /** The base amount an order was sent for (the exchange's word once it gave it), if the book holds it. */
  sentAmount(clientOrderId: string): number | undefined {
    return this.tracker.get(clientOrderId)?.amount;
  }

  /** The book's view of an order, for the exchange executor, which forgets an order once it is closed. */
  orderState(clientOrderId: string): string | undefined {
    return this.tracker.get(clientOrderId)?.state;
  }

  private settle(order: Order, outcome: SubmitOutcome): void {
    const id = order.clientOrderId;
    switch (outcome.kind) {
      case 'accepted':
        this.emit(() => this.events.onAccepted?.(order));
        this.ingest(outcome.update);
        return;
      case 'rejected':
        if (this.tracker.markRejected(id)) this.emit(() => this.events.onRejected(order, outcome.denial));
        else this.notice('warn', `order ${id}: the send reported "${outcome.denial.message}", but the exchange has shown the order; keeping it`);
        return;
      case 'unresolved':
        // A stream update may have settled it meanwhile: then there is nothing unknown to report.
        if (this.tracker.markUnresolved(id, this.config.clock.now())) {
          this.emit(() => this.events.onUnknown(order, outcome.reason));
          this.scheduleSettlement();
        }
        return;
    }
  }

  private ingest(update: CcxtOrder): void {
    this.handle(ingestUpdate(this.tracker, this.config.ids, update));
  }

  private handle(result: Ingested): void {
    const { tracked } = result;
    if (!tracked) return;
    const { order } = tracked;
    if (result.adopted) {
      this.notice('info', `adopted order ${order.clientOrderId} (${order.side} ${order.symbol}) found on the exchange`);
      this.emit(() => this.events.onAdopted?.(order));
    }
    for (const fill of result.fills) this.emit(() => this.events.onFill(fill, order));
    const to = result.transition?.to;
    if (result.transition?.from === 'unresolved' && !result.adopted) {
      this.notice('info', `order ${order.clientOrderId}, unresolved until now, is on the exchange (${to})`);
    }
    if (to === 'canceled' || to === 'expired') {
      const reason = this.cancelReasons.get(order.clientOrderId) ?? (to === 'expired' ? 'expired on the exchange' : 'canceled on the exchange');
      this.cancelReasons.delete(order.clientOrderId);
      this.emit(() => this.events.onCanceled(order, reason));
    } else if (to === 'rejected') {
      this.emit(() => this.events.onRejected(order, { code: 'exchange-rejected', message: `order ${order.clientOrderId} was rejected by ${this.config.exchange.id}` }));
    }
  }

  private refuse(order: Order, denial: LiveDenial): SubmitOutcome {
    this.emit(() => this.events.onRejected(order, denial));
    return { kind: 'rejected', denial };
  }

  /**
   * The user stream: ccxt resolves each watchOrders call with the updates since the last one. A network
   * failure means a lost connection (and maybe lost updates): back off, subscribe again, reconcile. Any
   * other failure (no permission, not supported) ends the stream; polling goes on at the faster rate.
   */
  private async streamLoop(): Promise<void> {
    const { exchange, clock } = this.config;
    const { baseDelayMs, maxDelayMs } = this.config.reconnect ?? { baseDelayMs: 1000, maxDelayMs: 60_000 };
    let failures = 0;
    while (this.running && exchange.watchOrders) {
      const watchedAt = clock.now();
      try {
        const next = exchange.watchOrders();
        if (failures > 0) void this.reconcile();
        const updates = await next;
        if (failures > 0) this.connection(true, 'the user stream answers again');
        failures = 0;
        if (!this.running) return;
        for (const update of updates) this.ingest(update);
      } catch (err) {
        if (!this.running) return;
        const error = redactCcxtError(err, this.access.secrets);
        if (!(err instanceof NetworkError)) {
          this.notice('error', `user stream stopped (${error}); polling the exchange instead`);
          this.poll(this.config.pollIntervalMs ?? 10_000);
          return;
        }
        // A quiet account sends nothing for long stretches: a connection that stayed up a while before it
        // dropped was healthy, and the backoff starts over rather than growing with every drop in a day.
        if (clock.now() - watchedAt >= HEALTHY_CONNECTION_MS) failures = 0;
        failures++;
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
        this.notice('warn', `user stream lost (${error}); reconnecting in ${delay} ms`);
        if (failures === 1) this.connection(false, `user stream lost (${error})`, err.name);
        await sleep(clock, delay);
      }
    }
  }

  /**
   * An unresolved order holds its symbol (no second order goes out for it), so it is settled as soon as the
   * exchange can tell: a reconciliation is due the moment "not found" becomes final for the oldest one.
   */
  private scheduleSettlement(): void {
    const finalAfter = this.notFoundIsFinalAfterMs;
    if (finalAfter === undefined || !this.running || this.settleTimer !== undefined) return;
    const since = this.tracker.active().flatMap((t) => (t.state === 'unresolved' && t.unresolvedSince !== undefined ? [t.unresolvedSince] : []));
    if (since.length === 0) return;
    const { clock } = this.config;
    const due = Math.min(...since) + finalAfter;
    this.settleTimer = clock.setTimeout(() => {
      this.settleTimer = undefined;
      void this.reconcile().then(() => this.scheduleSettlement());
      // Already due (a query failed): again in a while, not in a loop.
    }, due > clock.now() ? due - clock.now() + 250 : 2000);
  }

  private halt(): void {
    this.running = false;
    this.cancelTimers();
    this.access.gate.close();
  }

  private cancelTimers(): void {
    this.settleTimer?.cancel();
    this.settleTimer = undefined;
    this.pollTimer?.cancel();
    this.pollTimer = undefined;
  }

  /** Waits for the sends in flight to be settled, or for `ms` to pass, whichever comes first. */
  private async drain(ms: number): Promise<void> {
    let timer: Timer | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = this.config.clock.setTimeout(resolve, ms);
    });
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), timeout]);
    timer?.cancel();
  }

  private poll(intervalMs: number): void {
    this.pollTimer?.cancel();
    this.pollTimer = this.config.clock.setInterval(() => void this.reconcile(), intervalMs);
  }

  private connection(connected: boolean, reason: string, kind?: string): void {
    try {
      this.events.onConnection?.(connected, reason, kind);
    } catch {
      // As with notices: a listener that throws must not take the broker down.
    }
  }

  private notice(level: NoticeLevel, message: string): void {
    try {
      this.events.onNotice(level, message);
    } catch {
      // A logger that throws must not take the broker's bookkeeping down with it.
    }
  }

  /** A throwing callback must not leave the book half updated or stop the stream loop. */
  private emit(callback: () => void): void {
    if (this.stoppedBook !== undefined) return;
    try {
      callback();
    } catch (err) {
      this.notice('error', `a broker event handler threw: ${redactCcxtError(err, this.access.secrets)}`);
    }
  }
}

/** binance: an order not found once recvWindow (+ margin) has passed since the failed send was never placed. */
export function defaultResolvePolicy(exchange: LiveExchange): ResolvePolicy {
  const recvWindow = exchange.options?.['recvWindow'];
  if (!exchange.id.startsWith('binance') || typeof recvWindow !== 'number') return DEFAULT_RESOLVE_POLICY;
  return { ...DEFAULT_RESOLVE_POLICY, notFoundIsFinalAfterMs: recvWindow + RECV_WINDOW_MARGIN_MS };
}
