import { AuthenticationError, BadRequest, DDoSProtection, InvalidOrder, NetworkError, OrderNotFound, RequestTimeout } from 'ccxt';
import { SimulatedClock } from '../../../../src/core/simulated-clock';
import type { Fill, Order } from '../../../../src/execution/types';
import { createClientOrderIds } from '../../../../src/exchange/live/client-order-ids';
import { defaultResolvePolicy, ExchangeBroker, type BrokerEvents, type ExchangeBrokerConfig } from '../../../../src/exchange/live/exchange-broker';
import type { SubmitOutcome } from '../../../../src/exchange/live/order-submitter';
import { flush, order, runFor, ScriptedExchange, T0 } from './scripted-exchange';

const API_KEY = 'k3yk3yk3yk3yk3yk3y';
const SECRET = 'S3cr3tS3cr3tS3cr3t';

function setup(overrides: Partial<ExchangeBrokerConfig> = {}, stream = false) {
  const clock = new SimulatedClock(T0);
  const exchange = new ScriptedExchange(clock);
  if (stream) exchange.enableStream();
  const ids = createClientOrderIds('at', clock);
  const log: string[] = [];
  const fills: Fill[] = [];
  const events: BrokerEvents = {
    onFill: (fill) => {
      fills.push(fill);
      log.push(`fill ${fill.clientOrderId} ${fill.qty}@${fill.price}`);
    },
    onRejected: (o, denial) => log.push(`rejected ${o.clientOrderId} ${denial.code}: ${denial.message}`),
    onCanceled: (o, reason) => log.push(`canceled ${o.clientOrderId}: ${reason}`),
    onUnknown: (o) => log.push(`unknown ${o.clientOrderId}`),
    onAccepted: (o) => log.push(`accepted ${o.clientOrderId}`),
    onAdopted: (o) => log.push(`adopted ${o.clientOrderId}`),
    onNotice: (level, message) => log.push(`${level}: ${message}`),
  };
  const broker = new ExchangeBroker(
    {
      exchange,
      clock,
      ids,
      symbols: ['BTC/USDT'],
      fees: { maker: 0.001, taker: 0.001 },
      slippageBps: 0,
      secrets: [API_KEY, SECRET],
      retry: { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 1000, maxRetryAfterMs: 60_000 },
      pollIntervalMs: 10_000,
      streamPollIntervalMs: 60_000,
      ...overrides,
    },
    events,
  );
  const start = async (): Promise<void> => {
    const started = broker.start();
    await runFor(clock, 2000);
    await started;
  };
  const submit = async (o: Order, price = 50_000, runMs = 1000): Promise<SubmitOutcome> => {
    const pending = broker.submit(o, price);
    await runFor(clock, runMs);
    return pending;
  };
  const marketBuy = (fields: Partial<Order> = {}): Order => ({
    clientOrderId: ids.next(),
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    qty: 0.01,
    reason: 'signal',
    origin: 'test',
    createdAt: clock.now(),
    ...fields,
  });
  return { clock, exchange, ids, broker, log, fills, start, submit, marketBuy };
}

const lines = (log: string[], prefix: RegExp): string[] => log.filter((l) => prefix.test(l));

/** `o` sent, its createOrder answer (filled in full) held back until `answer()`. */
async function sentAndHeld(exchange: ScriptedExchange, broker: ExchangeBroker, o: Order) {
  let release: (() => void) | undefined;
  exchange.script('createOrder', () => new Promise((resolve) => {
    release = () => resolve(order({ clientOrderId: o.clientOrderId, id: '9', status: 'closed', amount: 0.01, filled: 0.01, cost: 500 }));
  }));
  const sending = broker.submit(o, 50_000);
  await flush();
  return { o, sending, answer: () => release!() };
}

describe('ExchangeBroker', () => {
  it('starts by loading markets with reload on every attempt, then scans for our orders', async () => {
    const { exchange, start } = setup();
    exchange.script('loadMarkets', { error: new NetworkError('down') });
    await start();
    expect(exchange.callsOf('loadMarkets').map((c) => c.args)).toEqual([[true], [true]]);
    expect(exchange.callsOf('fetchOpenOrders').map((c) => c.args)).toEqual([['BTC/USDT']]);
  });

  it('refuses an order the market rules forbid without sending it', async () => {
    const { exchange, log, start, submit, marketBuy } = setup();
    await start();
    const outcome = await submit(marketBuy({ qty: 0.00005 }));
    expect(outcome.kind === 'rejected' && outcome.denial.code).toBe('below-min-notional');
    expect(exchange.callsOf('createOrder')).toHaveLength(0);
    expect(lines(log, /^rejected/)).toHaveLength(1);
  });

  it('reports a fill the user stream delivers before createOrder answers exactly once', async () => {
    const { exchange, log, fills, start, submit, marketBuy } = setup({}, true);
    await start();
    const o = marketBuy();
    exchange.script('createOrder', async () => {
      exchange.push(order({ clientOrderId: o.clientOrderId, id: '9', status: 'closed', amount: 0.01, filled: 0.01, cost: 500.5 }));
      await flush();
      return order({ clientOrderId: o.clientOrderId, id: '9', status: 'open', amount: 0.01, filled: 0 });
    });
    const outcome = await submit(o);
    expect(outcome.kind).toBe('accepted');
    expect(fills.map((f) => [f.qty, f.price, f.liquidity])).toEqual([[0.01, 50_050, 'taker']]);
    expect(fills[0]?.fee).toBeCloseTo(0.5005, 12);
    expect(lines(log, /^(fill|accepted)/)).toEqual([`fill ${o.clientOrderId} 0.01@50050`, `accepted ${o.clientOrderId}`]);
  });

  it('counts partial fills from the stream and from polling, interleaved, once each', async () => {
    const { clock, exchange, fills, start, submit, marketBuy } = setup({ streamPollIntervalMs: 5000 }, true);
    await start();
    const o = marketBuy({ type: 'limit', qty: 1, limitPrice: 100 });
    const at = (filled: number, cost: number, status = 'open') => order({ clientOrderId: o.clientOrderId, id: '9', type: 'limit', price: 100, amount: 1, status, filled, cost });
    await submit(o, 100);
    exchange.push(at(0.3, 30));
    await flush();
    exchange.script('fetchOpenOrders', { result: [at(0.6, 59.7)] });
    await runFor(clock, 5000); // the poll sees 0.6 before the stream does
    exchange.push(at(0.5, 49.8), at(0.6, 59.7)); // stream, late
    await flush();
    exchange.script('fetchOrder', { result: at(1, 99.7, 'closed') });
    await runFor(clock, 5000); // gone from open orders: queried by id
    exchange.push(at(1, 99.7, 'closed'));
    await flush();
    expect(fills.map((f) => f.qty)).toEqual([0.3, expect.closeTo(0.3, 12), expect.closeTo(0.4, 12)]);
    expect(fills.reduce((s, f) => s + f.qty * f.price, 0)).toBeCloseTo(99.7, 9);
  });

  it('stops by waiting for the answer to an order already sent, refusing new ones meanwhile', async () => {
    const { clock, exchange, broker, log, fills, start, marketBuy } = setup();
    await start();
    const { o, answer, sending } = await sentAndHeld(exchange, broker, marketBuy());
    const stopped = broker.stop(5000);
    await expect(broker.submit(marketBuy(), 50_000)).rejects.toThrow(/the live broker is stopping; cannot submit at-/);
    await runFor(clock, 1000);
    answer();
    await stopped;
    await sending;
    expect(fills.map((f) => [f.clientOrderId, f.qty])).toEqual([[o.clientOrderId, 0.01]]);
    expect(broker.snapshotOrders()).toEqual([]);
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
    expect(lines(log, /^rejected/)).toEqual([]);
  });

  it('reports nothing after it stopped: an answer later than the wait is left, pending, to the next start', async () => {
    const { clock, exchange, broker, log, fills, start, marketBuy } = setup({}, true);
    await start();
    const { o, answer, sending } = await sentAndHeld(exchange, broker, marketBuy());
    const stopped = broker.stop(2000);
    await runFor(clock, 2500);
    await stopped;
    const saved = broker.snapshotOrders();
    answer();
    await sending;
    exchange.push(order({ clientOrderId: o.clientOrderId, id: '9', status: 'closed', amount: 0.01, filled: 0.01, cost: 500 }));
    await flush();
    expect(fills).toEqual([]);
    expect(lines(log, /^(fill|accepted|rejected|unknown)/)).toEqual([]);
    expect(saved.map((t) => [t.order.clientOrderId, t.state])).toEqual([[o.clientOrderId, 'pending']]);
    expect(broker.snapshotOrders()).toEqual(saved);
  });

  it('keeps an order whose send timed out and could not be settled, and takes it in when it turns up', async () => {
    const { clock, exchange, log, fills, start, submit, marketBuy } = setup({ resolve: { attempts: 2, baseDelayMs: 1000, maxDelayMs: 1000 } });
    await start();
    const o = marketBuy();
    exchange.script('createOrder', { error: new RequestTimeout(`binance POST https://api.binance.com/api/v3/order?newClientOrderId=${o.clientOrderId}&signature=deadbeef timed out`) });
    const outcome = await submit(o, 50_000, 3000);
    expect(outcome.kind).toBe('unresolved');
    expect(lines(log, /^unknown/)).toEqual([`unknown ${o.clientOrderId}`]);

    exchange.script('fetchOrder', { result: order({ clientOrderId: o.clientOrderId, id: '9', status: 'closed', amount: 0.01, filled: 0.01, cost: 500 }) });
    await runFor(clock, 10_000); // the poll
    await runFor(clock, 20_000); // more polls: nothing new
    expect(fills.map((f) => [f.clientOrderId, f.qty, f.price])).toEqual([[o.clientOrderId, 0.01, 50_000]]);
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
    expect(log.join('\n')).not.toContain('deadbeef');
    expect(log.some((l) => l.includes(`order ${o.clientOrderId}, unresolved until now, is on the exchange (closed)`))).toBe(true);
  });

  it('reconnects a lost user stream with backoff and reconciles after reconnecting', async () => {
    const { clock, exchange, log, start } = setup({}, true);
    await start();
    expect(exchange.callsOf('watchOrders')).toHaveLength(1);
    const scans = exchange.callsOf('fetchOpenOrders').length;
    exchange.dropStream(new NetworkError('connection closed by remote server'));
    await runFor(clock, 999);
    expect(exchange.callsOf('watchOrders')).toHaveLength(1);
    await runFor(clock, 1);
    expect(exchange.callsOf('watchOrders')).toHaveLength(2);
    expect(exchange.callsOf('fetchOpenOrders').length).toBe(scans + 1);
    exchange.dropStream(new NetworkError('again'));
    await runFor(clock, 2000); // the second wait is twice as long
    expect(exchange.watchers).toHaveLength(1);
    expect(lines(log, /^warn: user stream lost/)).toEqual([
      'warn: user stream lost (NetworkError: connection closed by remote server); reconnecting in 1000 ms',
      'warn: user stream lost (NetworkError: again); reconnecting in 2000 ms',
    ]);
  });

  it('falls back to polling when the user stream fails for good', async () => {
    const { clock, exchange, log, start } = setup({}, true);
    await start();
    exchange.dropStream(new AuthenticationError(`binance listenKey failed for ${API_KEY}`));
    await flush();
    const scans = exchange.callsOf('fetchOpenOrders').length;
    await runFor(clock, 10_000);
    expect(exchange.callsOf('fetchOpenOrders').length).toBe(scans + 1);
    expect(exchange.callsOf('watchOrders')).toHaveLength(1);
    expect(lines(log, /^error: user stream stopped/)).toEqual(['error: user stream stopped (AuthenticationError: binance listenKey failed for <redacted>); polling the exchange instead']);
  });

  it('cancels by client order id, reporting the last fill and the reason', async () => {
    const { exchange, broker, log, fills, start, submit, clock, marketBuy } = setup();
    await start();
    const o = marketBuy({ type: 'limit', qty: 1, limitPrice: 100 });
    exchange.script('createOrder', { result: order({ clientOrderId: o.clientOrderId, id: '42', type: 'limit', price: 100, amount: 1, status: 'open', filled: 0 }) });
    await submit(o, 100);
    // Binance answers a cancel with the cancel's own client id.
    exchange.script('cancelOrder', { result: order({ clientOrderId: 'cancel123', id: '42', type: 'limit', price: 100, amount: 1, status: 'canceled', filled: 0.2, cost: 20 }) });
    const canceling = broker.cancel(o.clientOrderId, 'signal reversed');
    await runFor(clock, 100);
    expect(await canceling).toBe(true);
    expect(exchange.callsOf('cancelOrder').map((c) => c.args)).toEqual([['42', 'BTC/USDT', { clientOrderId: o.clientOrderId }]]);
    expect(fills.map((f) => f.qty)).toEqual([0.2]);
    expect(lines(log, /^canceled/)).toEqual([`canceled ${o.clientOrderId}: signal reversed`]);
    expect(await broker.cancel(o.clientOrderId)).toBe(false);
  });

  it('finds out where an order stands when the cancel says it is gone', async () => {
    const { exchange, broker, fills, log, start, submit, clock, marketBuy } = setup();
    await start();
    const o = marketBuy({ type: 'limit', qty: 1, limitPrice: 100 });
    await submit(o, 100);
    exchange.script('cancelOrder', { error: new OrderNotFound('binance {"code":-2011,"msg":"Unknown order sent."}') });
    exchange.script('fetchOrder', { result: order({ clientOrderId: o.clientOrderId, type: 'limit', price: 100, amount: 1, status: 'closed', filled: 1, cost: 100 }) });
    const canceling = broker.cancel(o.clientOrderId);
    await runFor(clock, 100);
    expect(await canceling).toBe(false);
    expect(fills.map((f) => f.qty)).toEqual([1]);
    expect(lines(log, /^canceled/)).toEqual([]);
    expect(broker.orderState(o.clientOrderId)).toBe('closed');
  });

  it('holds orders back while a read is inside a Retry-After', async () => {
    const { clock, exchange, start, submit, marketBuy } = setup();
    await start();
    exchange.script('fetchOpenOrders', { error: new DDoSProtection('binance 429'), headers: { 'Retry-After': '20' } });
    await runFor(clock, 10_000); // the poll gets the 429
    const refused = await submit(marketBuy(), 50_000, 0);
    expect(refused.kind === 'rejected' && refused.denial.code).toBe('rate-limited');
    expect(exchange.callsOf('createOrder')).toHaveLength(0);
    // The poll's own retry waited for Retry-After too: nothing went out for 20 s after the 429.
    await runFor(clock, 21_000);
    const times = exchange.callsOf('fetchOpenOrders').map((c) => c.time - T0);
    const limited = times.indexOf(10_000);
    expect(times[limited + 1]).toBeGreaterThanOrEqual(30_000);
    expect(times[limited + 1]).toBeLessThan(31_000);
  });

  it('redacts the exchange\'s refusal before reporting it', async () => {
    const { exchange, log, start, submit, marketBuy } = setup();
    await start();
    exchange.script('createOrder', {
      error: new InvalidOrder(`binance POST https://api.binance.com/api/v3/order?signature=f00d {"X-MBX-APIKEY":"${API_KEY}"} ${SECRET}`),
    });
    const outcome = await submit(marketBuy());
    expect(outcome.kind === 'rejected' && outcome.denial.code).toBe('exchange-rejected');
    const text = log.join('\n');
    expect(text).toContain('signature=<redacted>');
    for (const secret of [API_KEY, SECRET, 'f00d']) expect(text).not.toContain(secret);
  });

  it('reconciles balances through the broker, redacting a failure that leaves it', async () => {
    const { clock, exchange, broker, start } = setup();
    await start();
    exchange.script('fetchBalance', { error: new BadRequest(`binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=c0ffee ${SECRET}`) });
    const failing = broker.reconcileBalances({ USDT: 100 });
    await runFor(clock, 100);
    const err = await failing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequest);
    expect((err as Error).message).toBe('binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=<redacted> <redacted>');
    exchange.script('fetchBalance', { result: { info: {}, USDT: { free: 90, used: 0, total: 90 } } });
    const diffs = broker.reconcileBalances({ USDT: 100 });
    await runFor(clock, 100);
    expect(await diffs).toEqual([{ asset: 'USDT', free: 90, total: 90, ledger: 100, diff: -10 }]);
  });

  it('makes "not found" final after binance\'s recvWindow plus a margin, and not for other exchanges', () => {
    const clock = new SimulatedClock(T0);
    const exchange = new ScriptedExchange(clock);
    expect(defaultResolvePolicy(exchange).notFoundIsFinalAfterMs).toBe(15_000);
    expect(defaultResolvePolicy({ ...exchange, id: 'kraken', market: exchange.market, amountToPrecision: exchange.amountToPrecision } as never).notFoundIsFinalAfterMs).toBeUndefined();
  });
});
