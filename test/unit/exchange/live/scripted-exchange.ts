import ccxt, { OrderNotFound, type Exchange } from 'ccxt';
import type { SimulatedClock } from '../../../../src/core/simulated-clock';
import type { Balances, CcxtOrder, CcxtTrade, LiveExchange, MarketInterface } from '../../../../src/exchange/live/types';

export const T0 = Date.UTC(2024, 0, 1);

/** BTC/USDT with Binance-like filters: step 0.00001, tick 0.01, min notional 5. */
export const BTC_USDT = {
  id: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  baseId: 'BTC',
  quoteId: 'USDT',
  active: true,
  type: 'spot',
  spot: true,
  precision: { amount: 0.00001, price: 0.01 },
  limits: {
    amount: { min: 0.00001, max: 9000 },
    market: { min: 0, max: 100 },
    cost: { min: 5, max: 9_000_000 },
    price: { min: 0.01, max: 1_000_000 },
  },
};

/** A real ccxt binance with markets set by hand: its precision helpers, no network. */
export function offlineBinance(markets: object[] = [BTC_USDT]): Exchange {
  const exchange = new ccxt.binance({});
  exchange.setMarkets(markets as never);
  return exchange;
}

type Step = { result: unknown } | { error: Error; headers?: Record<string, string> } | ((...args: unknown[]) => unknown);
type Method = 'createOrder' | 'fetchOrder' | 'fetchOpenOrders' | 'fetchMyTrades' | 'fetchBalance' | 'cancelOrder' | 'loadMarkets' | 'loadTimeDifference';

export interface Call {
  method: string;
  args: unknown[];
  time: number;
}

/**
 * A LiveExchange whose answers each test scripts per method, in order; unscripted calls get a default
 * (createOrder accepts, fetchOrder says OrderNotFound, fetchOpenOrders is empty). Precision comes from a
 * real offline ccxt binance. Every call is recorded with the clock's time.
 */
export class ScriptedExchange implements LiveExchange {
  readonly id = 'binance';
  has: Record<string, boolean> = { watchOrders: false };
  readonly options = { recvWindow: 10_000 };
  last_response_headers: Record<string, string> | undefined;
  readonly calls: Call[] = [];
  private readonly steps = new Map<string, Step[]>();
  private readonly precision = offlineBinance();
  /** Pending watchOrders calls, resolved or failed by the test. */
  readonly watchers: Array<{ resolve: (orders: CcxtOrder[]) => void; reject: (err: Error) => void }> = [];

  constructor(private readonly clock: SimulatedClock) {}

  script(method: Method, ...steps: Step[]): this {
    this.steps.set(method, [...(this.steps.get(method) ?? []), ...steps]);
    return this;
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  enableStream(): this {
    this.has = { watchOrders: true };
    this.watchOrders = () =>
      new Promise<CcxtOrder[]>((resolve, reject) => {
        this.calls.push({ method: 'watchOrders', args: [], time: this.clock.now() });
        this.watchers.push({ resolve, reject });
      });
    return this;
  }

  /** Delivers orders to the oldest pending watchOrders call. */
  push(...orders: CcxtOrder[]): void {
    const watcher = this.watchers.shift();
    if (!watcher) throw new Error('no watchOrders call is pending');
    watcher.resolve(orders);
  }

  dropStream(error: Error): void {
    const watcher = this.watchers.shift();
    if (!watcher) throw new Error('no watchOrders call is pending');
    watcher.reject(error);
  }

  watchOrders?: (symbol?: string) => Promise<CcxtOrder[]>;

  market(symbol: string): MarketInterface {
    return this.precision.market(symbol);
  }
  amountToPrecision(symbol: string, amount: number): string | undefined {
    return this.precision.amountToPrecision(symbol, amount);
  }
  priceToPrecision(symbol: string, price: number): string | undefined {
    return this.precision.priceToPrecision(symbol, price);
  }

  loadMarkets(...args: unknown[]): Promise<unknown> {
    return this.run('loadMarkets', args, () => ({}));
  }
  loadTimeDifference(...args: unknown[]): Promise<unknown> {
    return this.run('loadTimeDifference', args, () => 0);
  }
  createOrder(symbol: string, type: 'market' | 'limit', side: 'buy' | 'sell', amount: number, price?: number, params?: { clientOrderId?: string }): Promise<CcxtOrder> {
    return this.run('createOrder', [symbol, type, side, amount, price, params], () =>
      order({ clientOrderId: params?.clientOrderId, symbol, type, side, amount, ...(price !== undefined && { price }), status: 'open', filled: 0 }),
    );
  }
  fetchOrder(id: string, symbol?: string, params?: { clientOrderId?: string }): Promise<CcxtOrder> {
    return this.run('fetchOrder', [id, symbol, params], () => {
      throw new OrderNotFound(`binance {"code":-2013,"msg":"Order does not exist."}`);
    });
  }
  fetchOpenOrders(symbol?: string): Promise<CcxtOrder[]> {
    return this.run('fetchOpenOrders', [symbol], () => []);
  }
  fetchMyTrades(symbol?: string): Promise<CcxtTrade[]> {
    return this.run('fetchMyTrades', [symbol], () => []);
  }
  fetchBalance(): Promise<Balances> {
    return this.run('fetchBalance', [], () => ({ info: {} }) as Balances);
  }
  cancelOrder(id: string, symbol?: string, params?: { clientOrderId?: string }): Promise<CcxtOrder> {
    return this.run('cancelOrder', [id, symbol, params], () => order({ clientOrderId: params?.clientOrderId, symbol, status: 'canceled' }));
  }

  private async run<T>(method: Method, args: unknown[], fallback: (...args: unknown[]) => unknown): Promise<T> {
    this.calls.push({ method, args, time: this.clock.now() });
    const step = this.steps.get(method)?.shift();
    this.last_response_headers = {};
    if (step === undefined) return fallback(...args) as T;
    if (typeof step === 'function') return (await step(...args)) as T;
    if ('error' in step) {
      this.last_response_headers = step.headers ?? {};
      throw step.error;
    }
    return step.result as T;
  }
}

/** A ccxt order with defaults for what a test leaves out. */
export function order(fields: Partial<CcxtOrder>): CcxtOrder {
  return {
    id: '1001',
    clientOrderId: undefined,
    datetime: undefined,
    timestamp: T0,
    lastTradeTimestamp: undefined,
    status: 'open',
    symbol: 'BTC/USDT',
    type: 'market',
    side: 'buy',
    price: undefined,
    amount: 0.01,
    filled: 0,
    remaining: undefined,
    cost: undefined,
    trades: [],
    fee: undefined,
    reduceOnly: undefined,
    postOnly: undefined,
    info: {},
    ...fields,
  };
}

/** Lets every promise chain that can make progress do so. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves the simulated clock forward in steps, letting async work run between them. */
export async function runFor(clock: SimulatedClock, ms: number, stepMs = 250): Promise<void> {
  await flush();
  for (let passed = 0; passed < ms; passed += stepMs) {
    clock.advance(Math.min(stepMs, ms - passed));
    await flush();
  }
}
