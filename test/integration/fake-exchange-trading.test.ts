import {
  AuthenticationError,
  BadRequest,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  OperationFailed,
  OrderNotFound,
  RequestTimeout,
  type Exchange,
} from 'ccxt';
import { BinanceError } from '../fake-exchange/binance-error';
import type { FakeMarket } from '../fake-exchange/binance-format';
import { ccxtFor } from '../fake-exchange/ccxt-for';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { MatchingEngine, type EngineEvent, type OrderRequest } from '../fake-exchange/matching';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const ORDER = '/api/v3/order';

describe('matching engine', () => {
  const btc: FakeMarket = { symbol: 'BTC/USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5', status: 'TRADING' };
  const at = { time: 1000, price: 50_000 };
  const buy = (extra: Partial<OrderRequest> = {}): OrderRequest => ({ symbol: 'BTC/USDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '49000', clientOrderId: 'c1', ...extra });
  const step = (time: number, open: number, high: number, low: number, close: number) => ({ time, open, high, low, close, volume: 1 });
  const rejection = (fn: () => unknown): { code: number; message: string } => {
    try {
      fn();
    } catch (err) {
      if (err instanceof BinanceError) return { code: err.code, message: err.message };
      throw err;
    }
    throw new Error('not rejected');
  };

  it('fills a market buy at the last price, takes the commission in base and reports NEW, TRADE and the balances', () => {
    const events: EngineEvent[] = [];
    const engine = new MatchingEngine([btc], { onEvent: (e) => events.push(e) });
    const order = engine.place(buy({ type: 'MARKET', price: undefined, timeInForce: undefined }), at);
    expect(order).toMatchObject({ status: 'FILLED', executedQty: 0.1, cummulativeQuoteQty: 5000, price: 0 });
    expect(order.trades).toEqual([expect.objectContaining({ price: 50_000, qty: 0.1, commission: 0.0001, commissionAsset: 'BTC', isMaker: false })]);
    expect(engine.wallet.snapshot()).toEqual([
      { asset: 'BTC', free: 0.0999, locked: 0 },
      { asset: 'USDT', free: 5000, locked: 0 },
    ]);
    expect(events.map((e) => (e.kind === 'order' ? `${e.execution}:${e.order.status}` : 'balance'))).toEqual(['NEW:NEW', 'TRADE:FILLED', 'balance']);
  });

  it('rests a limit buy with its quote locked, fills it on the step that reaches it, at the better open after a gap', () => {
    const engine = new MatchingEngine([btc]);
    engine.place(buy(), at);
    expect(engine.wallet.snapshot()).toEqual([{ asset: 'USDT', free: 5100, locked: 4900 }]);
    engine.step('BTC/USDT', step(2000, 50_000, 50_100, 49_500, 49_600));
    expect(engine.orders({ open: true })).toHaveLength(1);
    // Opens below the limit: the buyer gets the open price, and the difference back.
    engine.step('BTC/USDT', step(3000, 48_000, 48_500, 47_900, 48_200));
    const [order] = engine.orders();
    expect(order).toMatchObject({ status: 'FILLED', executedQty: 0.1, cummulativeQuoteQty: 4800 });
    expect(order!.trades[0]).toMatchObject({ price: 48_000, isMaker: true, time: 3000 });
    expect(engine.wallet.snapshot()).toEqual([
      { asset: 'BTC', free: 0.0999, locked: 0 },
      { asset: 'USDT', free: 5200, locked: 0 },
    ]);
  });

  it('splits fills over steps with limited liquidity, and expires what a market order cannot fill at once', () => {
    const engine = new MatchingEngine([btc], { liquidity: { 'BTC/USDT': 0.04 } });
    // Marketable limit: 0.04 now, the rest on the next steps that reach 51,000.
    engine.place(buy({ price: '51000' }), at);
    expect(engine.orders()[0]).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: 0.04 });
    engine.step('BTC/USDT', step(2000, 50_000, 50_000, 50_000, 50_000));
    expect(engine.orders()[0]).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: 0.08 });
    engine.step('BTC/USDT', step(3000, 50_000, 50_000, 50_000, 50_000));
    expect(engine.orders()[0]).toMatchObject({ status: 'FILLED', executedQty: 0.1 });
    expect(engine.trades().map((t) => t.qty)).toEqual([0.04, 0.04, 0.02]);
    // The last step's liquidity has 0.02 left.
    const market = engine.place(buy({ type: 'MARKET', price: undefined, timeInForce: undefined, clientOrderId: 'm1' }), at);
    expect(market).toMatchObject({ status: 'EXPIRED', executedQty: 0.02 });
    const fok = engine.place(buy({ quantity: '0.05', price: '51000', timeInForce: 'FOK', clientOrderId: 'f1' }), at);
    expect(fok).toMatchObject({ status: 'EXPIRED', executedQty: 0 });
    expect(engine.wallet.snapshot().find((b) => b.asset === 'USDT')!.locked).toBe(0);
  });

  it('rejects orders outside the filters with -1013, before it looks at the balance', () => {
    const engine = new MatchingEngine([btc], { balances: { USDT: 1 } });
    expect(rejection(() => engine.place(buy({ price: '49000.005' }), at))).toEqual({ code: -1013, message: 'Filter failure: PRICE_FILTER' });
    expect(rejection(() => engine.place(buy({ price: '5000' }), at))).toEqual({ code: -1013, message: 'Filter failure: PERCENT_PRICE_BY_SIDE' });
    expect(rejection(() => engine.place(buy({ quantity: '0.000015' }), at))).toEqual({ code: -1013, message: 'Filter failure: LOT_SIZE' });
    expect(rejection(() => engine.place(buy({ quantity: '0.0001' }), at))).toEqual({ code: -1013, message: 'Filter failure: NOTIONAL' });
    expect(rejection(() => engine.place(buy(), at))).toEqual({ code: -2010, message: 'Account has insufficient balance for requested action.' });
    expect(engine.orders()).toEqual([]);
  });

  it('refuses a client id already used by an open order, and takes it again once that order is closed', () => {
    const engine = new MatchingEngine([btc]);
    engine.place(buy(), at);
    expect(rejection(() => engine.place(buy(), at))).toEqual({ code: -2010, message: 'Duplicate order sent.' });
    const canceled = engine.cancel('BTC/USDT', { clientOrderId: 'c1' }, 2000, 'cancel-1');
    expect(canceled).toMatchObject({ status: 'CANCELED', cancelClientOrderId: 'cancel-1' });
    expect(engine.wallet.snapshot()).toEqual([{ asset: 'USDT', free: 10_000, locked: 0 }]);
    expect(rejection(() => engine.cancel('BTC/USDT', { clientOrderId: 'c1' }, 2000, 'x'))).toEqual({ code: -2011, message: 'Unknown order sent.' });
    expect(engine.place(buy(), at).orderId).toBe(2);
    // By client id, the latest order that had it.
    expect(engine.query('BTC/USDT', { clientOrderId: 'c1' }).orderId).toBe(2);
    expect(rejection(() => engine.query('BTC/USDT', { orderId: 99 }))).toEqual({ code: -2013, message: 'Order does not exist.' });
  });
});

describe('fake exchange with time running by itself', () => {
  it('matches resting orders as exchange time runs at the configured speed', async () => {
    const symbol = 'BTC/USDT';
    const running = await createFakeExchange({ symbols: [symbol], start: T0, now: T0 + DAY, speed: 100, liquidity: { [symbol]: 0.002 } });
    try {
      const exchange = ccxtFor(running.url, { apiKey: running.apiKey, secret: running.secret });
      const placed = await exchange.createOrder(symbol, 'limit', 'buy', 0.006, Math.round(running.price(symbol) * 1.02));
      // Polls without asserting on durations: the guard only ends a test that would hang.
      for (let i = 0; i < 500 && running.orders()[0]?.status !== 'FILLED'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await expect(exchange.fetchOrder(placed.id!, symbol)).resolves.toMatchObject({ status: 'closed', filled: 0.006 });
      expect(running.trades().map((t) => t.qty)).toEqual([0.002, 0.002, 0.002]);
      expect(new Set(running.trades().map((t) => t.time)).size).toBe(3);
    } finally {
      await running.close();
    }
  });
});

describe('fake exchange trading through ccxt binance', () => {
  let fake: FakeExchange;
  let exchange: Exchange;
  const symbol = 'BTC/USDT';

  beforeAll(async () => {
    fake = await createFakeExchange({ symbols: [symbol, 'ETH/USDT'], start: T0, now: T0 + DAY, markets: [{ symbol: 'ETH/USDT', minQty: '0.01' }] });
    exchange = ccxtFor(fake.url, { apiKey: fake.apiKey, secret: fake.secret, timeoutMs: 500 });
    await exchange.loadMarkets();
  });
  afterEach(() => {
    fake.faults.clear();
    fake.setLiquidity(symbol, undefined);
  });
  afterAll(() => fake.close());

  const cancelAll = async (): Promise<void> => {
    for (const order of fake.orders({ open: true })) await exchange.cancelOrder(String(order.orderId), order.symbol);
  };

  it('loads markets and currencies with keys: ccxt calls the signed capital/config/getall too', async () => {
    expect(fake.requests.slice(0, 2).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /api/v3/exchangeInfo', 'GET /sapi/v1/capital/config/getall']);
    expect(exchange.currencies['USDT']).toMatchObject({ id: 'USDT', active: true });
    const balance = await exchange.fetchBalance();
    expect(balance['USDT']).toEqual({ free: 10_000, used: 0, total: 10_000 });
    expect(balance['BTC']).toEqual({ free: 0, used: 0, total: 0 });
    expect(fake.requestsTo('/api/v3/account')[0]!.query).toMatchObject({ timestamp: expect.any(String), signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('fills a market buy at the current price of the price path, with its fill and commission', async () => {
    const price = fake.price(symbol);
    const order = await exchange.createOrder(symbol, 'market', 'buy', 0.01, undefined, { clientOrderId: 'mkt-1' });
    expect(order).toMatchObject({ clientOrderId: 'mkt-1', status: 'closed', filled: 0.01, average: price, cost: expect.closeTo(price * 0.01, 6) });
    expect(order.fee).toEqual({ currency: 'BTC', cost: 0.00001 });
    expect(fake.requestsTo(ORDER)[0]!.query).toMatchObject({ newClientOrderId: 'mkt-1', type: 'MARKET', quantity: '0.01', newOrderRespType: 'FULL' });
    const balance = await exchange.fetchBalance();
    expect(balance['BTC']!.free).toBeCloseTo(0.00999, 8);
    expect(balance['USDT']!.free).toBeCloseTo(10_000 - price * 0.01, 6);
    const trades = await exchange.fetchMyTrades(symbol);
    expect(trades.map((t) => [t.order, t.side, t.takerOrMaker, t.price, t.amount])).toEqual([[order.id, 'buy', 'taker', price, 0.01]]);
  });

  it('rests a limit order: open orders, fetchOrder by id and by client id, cancel and the balance unlocked', async () => {
    const price = Math.round(fake.price(symbol) * 0.9);
    const usdtBefore = fake.balance('USDT').free;
    const placed = await exchange.createOrder(symbol, 'limit', 'buy', 0.01, price, { clientOrderId: 'lim-1' });
    expect(placed).toMatchObject({ status: 'open', filled: 0, price, clientOrderId: 'lim-1' });
    expect(fake.balance('USDT')).toEqual({ free: expect.closeTo(usdtBefore - price * 0.01, 6), locked: price * 0.01 });
    await expect(exchange.fetchOrder(placed.id!, symbol)).resolves.toMatchObject({ id: placed.id, status: 'open' });
    await expect(exchange.fetchOrder('', symbol, { clientOrderId: 'lim-1' })).resolves.toMatchObject({ id: placed.id });
    await expect(exchange.fetchOrder('', symbol, { origClientOrderId: 'lim-1' })).resolves.toMatchObject({ id: placed.id });
    expect((await exchange.fetchOpenOrders(symbol)).map((o) => o.id)).toEqual([placed.id]);
    const canceled = await exchange.cancelOrder(placed.id!, symbol);
    // Binance's cancel answer carries the cancel request's own client id; the order's is origClientOrderId.
    expect(canceled).toMatchObject({ id: placed.id, status: 'canceled', info: { origClientOrderId: 'lim-1' } });
    await expect(exchange.fetchOrder(placed.id!, symbol)).resolves.toMatchObject({ status: 'canceled', clientOrderId: 'lim-1' });
    await expect(exchange.fetchOpenOrders(symbol)).resolves.toEqual([]);
    expect(fake.balance('USDT')).toEqual({ free: usdtBefore, locked: 0 });
    await expect(exchange.cancelOrder(placed.id!, symbol)).rejects.toBeInstanceOf(OrderNotFound);
    await expect(exchange.fetchOrder('424242', symbol)).rejects.toBeInstanceOf(OrderNotFound);
  });

  it('fills a resting limit order when the played price path comes down to it, as a maker', async () => {
    const limit = fake.price(symbol) - 20;
    const placed = await exchange.createOrder(symbol, 'limit', 'buy', 0.002, limit);
    let steps = 0;
    while (fake.orders({ open: true }).length > 0 && steps < 500) {
      fake.step();
      steps++;
    }
    const order = await exchange.fetchOrder(placed.id!, symbol);
    expect(order).toMatchObject({ status: 'closed', filled: 0.002 });
    const [trade] = (await exchange.fetchMyTrades(symbol)).filter((t) => t.order === placed.id);
    expect(trade).toMatchObject({ takerOrMaker: 'maker', amount: 0.002 });
    expect(trade!.price).toBeLessThanOrEqual(limit);
    expect(trade!.timestamp).toBe(fake.now());
  });

  it('fills in pieces over several price steps when the market is thin', async () => {
    fake.setLiquidity(symbol, 0.002);
    const limit = Math.round(fake.price(symbol) * 1.02);
    const placed = await exchange.createOrder(symbol, 'limit', 'buy', 0.005, limit, { clientOrderId: 'thin-1' });
    expect(placed).toMatchObject({ status: 'open', filled: 0.002, remaining: 0.003 });
    fake.step();
    await expect(exchange.fetchOrder(placed.id!, symbol)).resolves.toMatchObject({ status: 'open', filled: 0.004, info: { status: 'PARTIALLY_FILLED' } });
    fake.step();
    await expect(exchange.fetchOrder(placed.id!, symbol)).resolves.toMatchObject({ status: 'closed', filled: 0.005 });
    const pieces = (await exchange.fetchMyTrades(symbol)).filter((t) => t.order === placed.id);
    expect(pieces.map((t) => t.amount)).toEqual([0.002, 0.002, 0.001]);
    // A market order bigger than a step's liquidity fills what there is; the rest expires.
    fake.step();
    const market = await exchange.createOrder(symbol, 'market', 'sell', 0.003);
    expect(market).toMatchObject({ status: 'expired', filled: 0.002 });
  });

  it('rejects orders outside the filters; ccxt maps LOT_SIZE and PRICE_FILTER to InvalidOrder, NOTIONAL to BadRequest', async () => {
    // Above ETH's minQty of 0.01 but on its 0.0001 step: ccxt sends it, the exchange refuses it.
    const lot = await exchange.createOrder('ETH/USDT', 'market', 'buy', 0.005).catch((e: unknown) => e);
    expect(lot).toBeInstanceOf(InvalidOrder);
    expect((lot as Error).message).toContain('{"code":-1013,"msg":"Filter failure: LOT_SIZE"}');
    await expect(exchange.createOrder(symbol, 'limit', 'sell', 0.001, 2_000_000)).rejects.toThrow(/Filter failure: PRICE_FILTER/);
    // binance.handleErrors matches LOT_SIZE and PRICE_FILTER in the body; any other -1013 is a BadRequest.
    const notional = await exchange.createOrder(symbol, 'market', 'buy', 0.00005).catch((e: unknown) => e);
    expect(notional).toBeInstanceOf(BadRequest);
    expect(notional).not.toBeInstanceOf(InvalidOrder);
    expect((notional as Error).message).toContain('Filter failure: NOTIONAL');
    // ccxt checks the amount's precision itself: an amount under the step never reaches the exchange.
    const before = fake.requestsTo(ORDER).length;
    await expect(exchange.createOrder(symbol, 'market', 'buy', 0.000001)).rejects.toBeInstanceOf(InvalidOrder);
    expect(fake.requestsTo(ORDER)).toHaveLength(before);
  });

  it('answers -2010 for an order the balance cannot pay: InsufficientFunds', async () => {
    const err = await exchange.createOrder(symbol, 'market', 'buy', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientFunds);
    // ccxt matches this message exactly, before the code, and reports only the message.
    expect((err as Error).message).toBe('binance Account has insufficient balance for requested action.');
    await expect(exchange.createOrder('ETH/USDT', 'market', 'sell', 1)).rejects.toBeInstanceOf(InsufficientFunds);
  });

  it('refuses a client id an open order has: -2010 Duplicate order sent. is an InvalidOrder', async () => {
    const price = Math.round(fake.price(symbol) * 0.9);
    await exchange.createOrder(symbol, 'limit', 'buy', 0.001, price, { clientOrderId: 'dup-1' });
    const err = await exchange.createOrder(symbol, 'limit', 'buy', 0.001, price, { clientOrderId: 'dup-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOrder);
    expect((err as Error).message).toContain('Duplicate order sent.');
    expect(fake.orders().filter((o) => o.clientOrderId === 'dup-1')).toHaveLength(1);
    await cancelAll();
  });

  it('refuses a wrong key (-2015), a wrong signature (-1022) and a timestamp off the server clock (-1021)', async () => {
    const wrongKey = ccxtFor(fake.url, { apiKey: 'nope', secret: fake.secret });
    const wrongSecret = ccxtFor(fake.url, { apiKey: fake.apiKey, secret: 'nope' });
    await Promise.all([wrongKey.loadMarkets(), wrongSecret.loadMarkets()].map((p) => p.catch(() => undefined)));
    await expect(wrongKey.fetchBalance()).rejects.toThrow(/"code":-2015/);
    await expect(wrongKey.fetchBalance()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(wrongSecret.fetchBalance()).rejects.toThrow(/"code":-1022,"msg":"Signature for this request is not valid."/);
    fake.setClockSkew(-60_000);
    try {
      await expect(exchange.fetchBalance()).rejects.toBeInstanceOf(InvalidNonce);
      fake.setClockSkew(60_000);
      await expect(exchange.fetchBalance()).rejects.toThrow(/outside of the recvWindow/);
    } finally {
      fake.setClockSkew(0);
    }
    await expect(exchange.fetchBalance()).resolves.toBeDefined();
  });

  it('a timeout on createOrder with processed=true leaves the order on the exchange, queryable by client id', async () => {
    const price = Math.round(fake.price(symbol) * 0.9);
    fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: { type: 'timeout', processed: true } });
    await expect(exchange.createOrder(symbol, 'limit', 'buy', 0.001, price, { clientOrderId: 'lost-ack-1' })).rejects.toBeInstanceOf(RequestTimeout);
    expect(fake.orders({ open: true }).map((o) => o.clientOrderId)).toEqual(['lost-ack-1']);
    await expect(exchange.fetchOrder('', symbol, { clientOrderId: 'lost-ack-1' })).resolves.toMatchObject({ status: 'open', clientOrderId: 'lost-ack-1' });
    // A retry with the same client id cannot make a second order while the first is open.
    await expect(exchange.createOrder(symbol, 'limit', 'buy', 0.001, price, { clientOrderId: 'lost-ack-1' })).rejects.toThrow(/Duplicate order sent/);
    expect(fake.orders().filter((o) => o.clientOrderId === 'lost-ack-1')).toHaveLength(1);
    await cancelAll();
  });

  it('a timeout or server error without processing places nothing; with it, the order is placed behind the error', async () => {
    const count = (): number => fake.orders().length;
    const before = count();
    fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: { type: 'timeout' } });
    await expect(exchange.createOrder(symbol, 'market', 'buy', 0.001, undefined, { clientOrderId: 'to-1' })).rejects.toBeInstanceOf(RequestTimeout);
    await expect(exchange.fetchOrder('', symbol, { clientOrderId: 'to-1' })).rejects.toBeInstanceOf(OrderNotFound);
    fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: { type: 'server-error', status: 500, processed: true } });
    await expect(exchange.createOrder(symbol, 'market', 'buy', 0.001, undefined, { clientOrderId: 'e500-1' })).rejects.toBeInstanceOf(OperationFailed);
    fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: { type: 'server-error', status: 503 } });
    await expect(exchange.createOrder(symbol, 'market', 'buy', 0.001, undefined, { clientOrderId: 'e503-1' })).rejects.toBeInstanceOf(ExchangeNotAvailable);
    expect(fake.orders().slice(before).map((o) => [o.clientOrderId, o.status])).toEqual([['e500-1', 'FILLED']]);
  });

  it('a forced filter failure rejects the next order only, and places nothing', async () => {
    fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: { type: 'filter-failure', filter: 'LOT_SIZE' } });
    const before = fake.orders().length;
    await expect(exchange.createOrder(symbol, 'market', 'buy', 0.001)).rejects.toBeInstanceOf(InvalidOrder);
    expect(fake.orders()).toHaveLength(before);
    await expect(exchange.createOrder(symbol, 'market', 'buy', 0.001)).resolves.toMatchObject({ status: 'closed' });
  });

  it('a cancel answered 503 with processed=true has still canceled the order', async () => {
    const price = Math.round(fake.price(symbol) * 0.9);
    const placed = await exchange.createOrder(symbol, 'limit', 'buy', 0.001, price);
    fake.faults.next({ match: { path: ORDER, method: 'DELETE' }, fault: { type: 'server-error', status: 503, processed: true } });
    await expect(exchange.cancelOrder(placed.id!, symbol)).rejects.toBeInstanceOf(ExchangeNotAvailable);
    await expect(exchange.fetchOrder(placed.id!, symbol)).resolves.toMatchObject({ status: 'canceled' });
  });
});
