import { NetworkError } from 'ccxt';
import { SimulatedClock } from '../../../../src/core/simulated-clock';
import type { Order } from '../../../../src/execution/types';
import { diffBalances } from '../../../../src/exchange/live/balance-diff';
import { createClientOrderIds } from '../../../../src/exchange/live/client-order-ids';
import type { ExchangeAccess } from '../../../../src/exchange/live/exchange-access';
import { OrderTracker } from '../../../../src/exchange/live/order-tracker';
import { Reconciler, type Ingested } from '../../../../src/exchange/live/reconciler';
import { RequestGate } from '../../../../src/exchange/live/request-gate';
import type { Balances } from '../../../../src/exchange/live/types';
import { order, runFor, ScriptedExchange, T0 } from './scripted-exchange';

function setup() {
  const clock = new SimulatedClock(T0);
  const previous = createClientOrderIds('at', clock);
  clock.advance(3_600_000);
  const ids = createClientOrderIds('at', clock);
  const exchange = new ScriptedExchange(clock);
  const notices: string[] = [];
  const access: ExchangeAccess = {
    exchange,
    clock,
    gate: new RequestGate(clock, { retryAfterHeader: () => undefined, fallbackMs: 1000 }),
    retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 100, maxRetryAfterMs: 1000 },
    secrets: [],
    notify: (level, message) => notices.push(`${level}: ${message}`),
  };
  const tracker = new OrderTracker(clock, { fees: { maker: 0.001, taker: 0.001 } });
  const ingested: Ingested[] = [];
  const notPlaced: string[] = [];
  const reconciler = new Reconciler(
    access,
    tracker,
    ids,
    { ingested: (r) => ingested.push(r), notPlaced: (t, message) => notPlaced.push(`${t.order.clientOrderId}: ${message}`) },
    { symbols: ['BTC/USDT'], notFoundIsFinalAfterMs: 15_000 },
  );
  const run = async (): Promise<void> => {
    const done = reconciler.reconcileOrders();
    await runFor(clock, 1000);
    await done;
  };
  return { clock, ids, previous, exchange, tracker, reconciler, ingested, notPlaced, notices, run };
}

function buy(clientOrderId: string, time: number): Order {
  return { clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'limit', qty: 1, limitPrice: 100, reason: 'signal', origin: 'test', createdAt: time };
}

const fillsOf = (ingested: Ingested[]): Array<[number, number]> => ingested.flatMap((r) => r.fills.map((f): [number, number] => [f.qty, f.price]));

describe('Reconciler', () => {
  it('picks up an unresolved order that turns up later, reporting its fills once', async () => {
    const { clock, ids, exchange, tracker, ingested, run } = setup();
    const id = ids.next();
    tracker.track(buy(id, clock.now()), 1);
    tracker.markUnresolved(id, clock.now());

    exchange.script('fetchOpenOrders', { result: [order({ clientOrderId: id, type: 'limit', price: 100, amount: 1, status: 'open', filled: 0.4, cost: 40 })] });
    await run();
    expect(tracker.get(id)?.state).toBe('open');
    expect(ingested.map((r) => r.transition)).toEqual([{ from: 'unresolved', to: 'open' }]);
    // No query by id: the scan showed it open.
    expect(exchange.callsOf('fetchOrder')).toHaveLength(0);

    // Filled since: no longer among open orders, so it is queried by client order id.
    exchange.script('fetchOrder', { result: order({ clientOrderId: id, type: 'limit', price: 100, amount: 1, status: 'closed', filled: 1, cost: 99.4 }) });
    await run();
    await run();
    expect(fillsOf(ingested)).toEqual([[0.4, 100], [0.6, expect.closeTo(99, 9)]]);
    expect(exchange.callsOf('fetchOrder').map((c) => c.args)).toEqual([[id, 'BTC/USDT', { clientOrderId: id }]]);
    expect(tracker.active()).toEqual([]);
  });

  it('adopts a previous session\'s order without re-reporting what it filled before, and ignores others\' orders', async () => {
    const { previous, exchange, tracker, ingested, run } = setup();
    const old = previous.next();
    exchange.script('fetchOpenOrders', {
      result: [
        order({ clientOrderId: old, type: 'limit', price: 100, amount: 1, status: 'open', filled: 0.4, cost: 40 }),
        order({ clientOrderId: 'web_manual_order', status: 'open', filled: 0.5, cost: 50 }),
      ],
    });
    await run();
    expect(ingested).toHaveLength(1);
    expect(ingested[0]).toMatchObject({ adopted: true, fills: [] });
    expect(tracker.get(old)).toMatchObject({ adopted: true, state: 'open', filledQty: 0.4 });
    expect(tracker.get('web_manual_order')).toBeUndefined();

    exchange.script('fetchOrder', { result: order({ clientOrderId: old, type: 'limit', price: 100, amount: 1, status: 'closed', filled: 1, cost: 100 }) });
    await run();
    expect(fillsOf(ingested)).toEqual([[0.6, expect.closeTo(100, 9)]]);
  });

  it('declares an unresolved order never placed only once the window has passed without it', async () => {
    const { clock, ids, tracker, notPlaced, run } = setup();
    const id = ids.next();
    tracker.track(buy(id, clock.now()), 1);
    tracker.markUnresolved(id, clock.now());
    await run();
    expect(notPlaced).toEqual([]);
    expect(tracker.get(id)?.state).toBe('unresolved');
    await runFor(clock, 15_000);
    await run();
    expect(notPlaced).toEqual([`${id}: order ${id} was never placed: binance has no such order long after its send failed`]);
    expect(tracker.get(id)?.state).toBe('rejected');
  });

  it('leaves orders whose send is still in progress to the submitter', async () => {
    const { clock, ids, exchange, tracker, run } = setup();
    tracker.track(buy(ids.next(), clock.now()), 1);
    await run();
    expect(exchange.callsOf('fetchOrder')).toHaveLength(0);
  });

  it('goes on past a failing read, and runs once more when asked during a run', async () => {
    const { clock, exchange, reconciler, notices } = setup();
    const down = () => ({ error: new NetworkError('down') });
    exchange.script('fetchOpenOrders', down(), down(), down());
    const runs = [reconciler.reconcileOrders(), reconciler.reconcileOrders(), reconciler.reconcileOrders()];
    await runFor(clock, 5000);
    await Promise.all(runs);
    // Three failed attempts of the first run, one of the follow-up.
    expect(exchange.callsOf('fetchOpenOrders')).toHaveLength(4);
    expect(notices.some((n) => /^warn: reconcile: fetchOpenOrders BTC\/USDT failed: RetriesExhausted/.test(n))).toBe(true);
  });

  it('reports balances that differ from the ledger', async () => {
    const { clock, exchange, reconciler } = setup();
    const balances = {
      info: {},
      BTC: { free: 0.4, used: 0.1, total: 0.5 },
      USDT: { free: 1000, used: 0, total: 1000 },
      BNB: { free: 0.01, used: 0, total: 0.01 },
      free: {},
      used: {},
      total: {},
    } as unknown as Balances;
    exchange.script('fetchBalance', { result: balances });
    const pending = reconciler.reconcileBalances({ BTC: 0.5015, USDT: 1000, ETH: 2 });
    await runFor(clock, 100);
    expect(await pending).toEqual([
      { asset: 'BNB', free: 0.01, total: 0.01, ledger: 0, diff: 0.01 },
      { asset: 'BTC', free: 0.4, total: 0.5, ledger: 0.5015, diff: expect.closeTo(-0.0015, 12) },
      { asset: 'ETH', free: 0, total: 0, ledger: 2, diff: -2 },
    ]);
    expect(diffBalances(balances, { BTC: 0.5, USDT: 1000, BNB: 0.01 })).toEqual([]);
  });
});
