import { AuthenticationError, NetworkError, RequestTimeout, type Exchange, type Order } from 'ccxt';
import { ccxtFor, ccxtProFor, type ProBinance } from '../fake-exchange/ccxt-for';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const MINUTE = 60_000;
const ORDER = '/api/v3/order';
const BTC = 'BTC/USDT';
const ETH = 'ETH/USDT';

/** Fails a test that would otherwise hang on a message that never comes; not a timing assertion. */
async function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `check` holds: for the rest of a burst of messages to land in ccxt's caches. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`never: ${what}`);
}

/**
 * ccxt 4.5.84 quirk: a user data subscription that fails (refused signature, failed handshake) also rejects
 * a future nobody awaits ('authenticate:signature:spot', made ahead for concurrent callers), an unhandled
 * rejection that fails the test (and would end a Node process). The caller still gets the error; this only
 * marks the socket's futures as handled.
 */
function quietFutures(exchange: ProBinance, url: string): void {
  const client = exchange.client(url) as { future: (hash: string) => Promise<unknown> };
  const future = client.future.bind(client);
  client.future = (hash) => {
    const f = future(hash);
    f.catch(() => undefined);
    return f;
  };
}

describe('fake exchange streams through ccxt.pro binance', () => {
  let fake: FakeExchange;
  let rest: Exchange;
  let pro: ProBinance;
  const keys = (): { apiKey: string; secret: string } => ({ apiKey: fake.apiKey, secret: fake.secret });
  const candles = (timeframe: string): number[][] => ((pro.ohlcvs as Record<string, Record<string, number[][]>>)[BTC]?.[timeframe] ?? []).slice();
  const cachedOrder = (clientOrderId: string): Order | undefined => (pro.orders as Order[] | undefined)?.find((o) => o.clientOrderId === clientOrderId);

  beforeAll(async () => {
    fake = await createFakeExchange({ symbols: [BTC, ETH], timeframe: '1m', start: T0, now: T0 + DAY });
    rest = ccxtFor(fake.url, keys());
    pro = ccxtProFor(fake.url, keys());
    await Promise.all([rest.loadMarkets(), pro.loadMarkets()]);
  });
  afterEach(() => {
    fake.faults.clear();
    fake.setLiquidity(BTC, undefined);
  });
  afterAll(async () => {
    await pro.close();
    await fake.close();
  });

  it('watchTicker gets the 24-hour ticker at once, its last price the price path\'s', async () => {
    const ticker = await within(pro.watchTicker(BTC), 'ticker');
    expect(ticker).toMatchObject({ symbol: BTC, last: fake.price(BTC) });
    expect(fake.streams.list().flatMap((c) => c.streams)).toContain('btcusdt@miniTicker');
  });

  it('watchOHLCV gets the forming candle, then each candle closed as time advances, equal to the REST klines', async () => {
    const start = fake.now();
    await expect(within(pro.watchOHLCV(BTC, '1m'), 'first candle')).resolves.toEqual(fake.klines(BTC, '1m', { limit: 1 }));
    const fiveMinutes = within(pro.watchOHLCV(BTC, '5m'), 'first 5m candle');
    await fiveMinutes;
    for (let i = 0; i < 5; i++) {
      const next = pro.watchOHLCV(BTC, '1m');
      fake.step();
      await within(next, `candle after step ${i + 1}`);
    }
    await until(() => candles('1m').at(-1)?.[0] === fake.now() && candles('5m').at(-1)?.[0] === fake.now(), 'the forming candles of the last step');
    expect(candles('1m')).toEqual(fake.klines(BTC, '1m', { startTime: start, limit: 6 }));
    // The 5-minute candle made of those five, closed, and the next one forming.
    expect(candles('5m')).toEqual(fake.klines(BTC, '5m', { startTime: start, limit: 2 }));
    expect(candles('5m')[0]![0]).toBe(start);
    expect(fake.now()).toBe(start + 5 * MINUTE);
  });

  it('watchTrades gets a trade per price step and the account\'s own fills', async () => {
    const pending = pro.watchTrades(BTC);
    await within(fake.streams.subscribed('btcusdt@trade'), 'trade subscription');
    fake.step();
    const [stepTrade] = await within(pending, 'step trade');
    expect(stepTrade).toMatchObject({ symbol: BTC, price: fake.price(BTC), timestamp: fake.now() });
    const next = pro.watchTrades(BTC);
    const order = await rest.createOrder(BTC, 'market', 'buy', 0.001);
    const [own] = await within(next, 'own fill');
    expect(own).toMatchObject({ id: order.trades[0]!.id, price: order.average, amount: 0.001 });
  });

  it('watchOrders, watchMyTrades and watchBalance follow an order filled in pieces', async () => {
    fake.setLiquidity(BTC, 0.002);
    const limit = Math.round(fake.price(BTC) * 1.02);
    const statuses: Array<[string, number]> = [];
    const record = (orders: Order[]): void => {
      for (const o of orders) if (o.clientOrderId === 'ws-thin-1') statuses.push([o.status!, o.filled!]);
    };

    const first = pro.watchOrders(BTC);
    await within(fake.streams.subscribed('user'), 'user data subscription');
    await rest.createOrder(BTC, 'limit', 'buy', 0.005, limit, { clientOrderId: 'ws-thin-1' });
    record(await within(first, 'new order'));
    await until(() => cachedOrder('ws-thin-1')?.filled === 0.002, 'first piece');
    expect(cachedOrder('ws-thin-1')).toMatchObject({ status: 'open', filled: 0.002, price: limit, amount: 0.005 });

    const second = pro.watchOrders(BTC);
    fake.step();
    record(await within(second, 'second piece'));
    await until(() => cachedOrder('ws-thin-1')?.filled === 0.004, 'second piece');

    const third = pro.watchOrders(BTC);
    const myTrade = pro.watchMyTrades(BTC);
    const balance = pro.watchBalance();
    fake.step();
    record(await within(third, 'last piece'));
    // The first watchMyTrades answers every trade in ccxt's cache; the last is the fill of this step.
    expect((await within(myTrade, 'my trade')).at(-1)).toMatchObject({ amount: 0.001, side: 'buy', takerOrMaker: 'maker', fee: { cost: 0.000001, currency: 'BTC' } });
    const after = await within(balance, 'balance');
    expect(after['BTC']).toMatchObject({ free: fake.balance('BTC').free, used: 0 });
    await until(() => cachedOrder('ws-thin-1')?.status === 'closed', 'the order closed');
    expect(cachedOrder('ws-thin-1')).toMatchObject({ filled: 0.005, remaining: 0 });
    expect(statuses.every(([status, filled]) => (status === 'open' && filled < 0.005) || (status === 'closed' && filled === 0.005))).toBe(true);
    expect(statuses.some(([status, filled]) => status === 'open' && filled > 0)).toBe(true);
    const pieces = (pro.myTrades as Array<{ order?: string; amount?: number }>).filter((t) => t.order === cachedOrder('ws-thin-1')!.id);
    expect(pieces.map((t) => t.amount)).toEqual([0.002, 0.002, 0.001]);
  });

  it('can report a fill on the user stream before the REST acknowledgement of the order', async () => {
    const seen: string[] = [];
    const stream = pro.watchOrders(BTC).then(() => {
      seen.push(`stream:${cachedOrder('first-by-stream')?.status ?? 'unknown'}`);
    });
    await within(fake.streams.subscribed('user'), 'user data subscription');
    fake.faults.next({ match: { path: ORDER, method: 'POST' }, fault: { type: 'stream-before-ack' } });
    const acked = rest.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'first-by-stream' }).then((o) => {
      seen.push(`rest:${o.status}, stream had it ${cachedOrder('first-by-stream')?.status ?? 'unknown'}`);
    });
    await within(Promise.all([stream, acked]), 'order and its report');
    // When the acknowledgement arrives, the stream has already reported the order filled.
    expect(seen[0]).toMatch(/^stream:(open|closed)$/);
    expect(seen[1]).toBe('rest:closed, stream had it closed');
    expect(fake.requestsTo(ORDER).at(-1)!.fault).toEqual({ type: 'stream-before-ack' });
  });

  it('a dropped market socket rejects the watch with a NetworkError, and the next watch reconnects', async () => {
    const pending = pro.watchTrades(BTC);
    await within(fake.streams.subscribed('btcusdt@trade'), 'trade subscription');
    expect(fake.streams.drop('btcusdt@trade')).toBe(1);
    await expect(within(pending, 'rejection')).rejects.toBeInstanceOf(NetworkError);
    const again = pro.watchTrades(BTC);
    await within(fake.streams.subscribed('btcusdt@trade'), 'new trade subscription');
    fake.step();
    // A new watch answers what ccxt cached before the drop too; the last is the step's.
    expect((await within(again, 'trade after reconnecting')).at(-1)).toMatchObject({ timestamp: fake.now() });
  });

  it('a dropped user data socket rejects watchOrders; the next one subscribes again and gets the reports', async () => {
    const pending = pro.watchOrders(BTC);
    await within(fake.streams.subscribed('user'), 'user data subscription');
    const subscribes = (): number => fake.requestsTo('/ws-api/v3').length;
    const connectsBefore = subscribes();
    fake.streams.drop('user');
    await expect(within(pending, 'rejection')).rejects.toBeInstanceOf(NetworkError);
    const again = pro.watchOrders(BTC);
    await within(fake.streams.subscribed('user'), 'new user data subscription');
    expect(subscribes()).toBe(connectsBefore + 1);
    await rest.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'after-drop' });
    await within(again, 'report after reconnecting');
    await until(() => cachedOrder('after-drop')?.status === 'closed', 'the report');
  });

  it('a stalled socket stays open but silent: what is sent meanwhile is lost, and a resumed stream goes on', async () => {
    const pending = pro.watchTrades(ETH);
    await within(fake.streams.subscribed('ethusdt@trade'), 'trade subscription');
    expect(fake.streams.stall('ethusdt@trade')).toBe(1);
    fake.step();
    const lostAt = fake.now();
    expect(fake.streams.resume('ethusdt@trade')).toBe(1);
    fake.step();
    const trades = await within(pending, 'trade after resuming');
    expect(trades.map((t) => t.timestamp)).toEqual([fake.now()]);
    expect(fake.now()).toBeGreaterThan(lostAt);
  });

  it('a stall that swallows pongs makes ccxt give up on the socket with a RequestTimeout', async () => {
    const impatient = ccxtProFor(fake.url, { ...keys(), keepAliveMs: 100 });
    try {
      await impatient.loadMarkets();
      const pending = impatient.watchOHLCV(ETH, '3m');
      await within(fake.streams.subscribed('ethusdt@kline_3m'), 'kline subscription');
      await pending;
      const silent = impatient.watchOHLCV(ETH, '3m');
      fake.streams.stall('ethusdt@kline_3m');
      const err = await within(silent, 'timeout').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RequestTimeout);
      expect((err as Error).message).toMatch(/ping-pong keepalive missing/);
    } finally {
      fake.streams.resume('ethusdt@kline_3m');
      await impatient.close();
    }
  });

  it('refuses a user data subscription with a bad signature: AuthenticationError', async () => {
    const wrong = ccxtProFor(fake.url, keys());
    try {
      await wrong.loadMarkets();
      quietFutures(wrong, fake.wsApiUrl);
      wrong.secret = 'not-the-secret';
      const err = await within(wrong.watchOrders(BTC), 'rejection').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect((err as Error).message).toContain('-1022');
    } finally {
      await wrong.close();
    }
  });

  it('a refused WebSocket handshake is a NetworkError; the next attempt connects', async () => {
    const other = ccxtProFor(fake.url, keys());
    try {
      await other.loadMarkets();
      quietFutures(other, fake.wsApiUrl);
      fake.faults.next({ match: { path: '/ws-api/v3' }, fault: { type: 'server-error', status: 503 } });
      await expect(within(other.watchBalance(), 'refusal')).rejects.toBeInstanceOf(NetworkError);
      const balance = other.watchBalance();
      await within(fake.streams.subscribed('user'), 'subscription');
      await rest.createOrder(BTC, 'market', 'buy', 0.001);
      await expect(within(balance, 'balance')).resolves.toMatchObject({ USDT: { free: fake.balance('USDT').free } });
    } finally {
      await other.close();
    }
  });
});
