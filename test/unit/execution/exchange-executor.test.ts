import { InsufficientFunds } from 'ccxt';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import { ExchangeExecutor } from '../../../src/execution/exchange-executor';
import type { ExecutionReports } from '../../../src/execution/executor';
import { ProtectionBook } from '../../../src/execution/protection-book';
import type { Fill, Order } from '../../../src/execution/types';
import { order, runFor, ScriptedExchange, T0 } from '../exchange/live/scripted-exchange';

function setup() {
  const clock = new SimulatedClock(T0);
  const exchange = new ScriptedExchange(clock);
  const fills: Fill[] = [];
  const log: string[] = [];
  const protections = new ProtectionBook();
  const reports: ExecutionReports = {
    submitted: (o) => log.push(`submitted ${o.clientOrderId}`),
    accepted: (o) => log.push(`debug: order ${o.clientOrderId} accepted by the exchange`),
    filled: (f) => fills.push(f),
    rejected: (o, denial) => log.push(`rejected ${o.clientOrderId} ${denial.code}`),
    canceled: (o, reason) => log.push(`canceled ${o.clientOrderId}: ${reason}`),
    notice: (level, message) => log.push(`${level}: ${message}`),
  };
  const executor = new ExchangeExecutor(
    { exchange, clock, symbols: ['BTC/USDT'], fees: { maker: 0.001, taker: 0.001 }, slippageBps: 0, idPrefix: 'at', secrets: ['s3cr3t'], broker: { pollIntervalMs: 60_000 } },
    { reports, protections },
  );
  const price = (close: number): void => {
    executor.onCandle({ symbol: 'BTC/USDT', timeframe: '1m', time: clock.now(), open: close, high: close, low: close, close, volume: 1 });
  };
  const newOrder = (fields: Partial<Order>): Order => ({
    clientOrderId: executor.nextOrderId(),
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    reason: 'signal',
    origin: 'test',
    createdAt: clock.now(),
    ...fields,
  });
  /** Started, with a price, and a buy of 0.02 at 50,000 asking for `protect`, filled. */
  const entered = async (protect: Order['protect']): Promise<void> => {
    const started = executor.start();
    await runFor(clock, 1000);
    await started;
    price(50_000);
    exchange.script('createOrder', filledAnswer(0.02, 50_000, 'USDT'));
    executor.submit(newOrder({ qty: 0.02, protect }));
  };
  return { clock, exchange, executor, fills, log, price, newOrder, protections, entered };
}

/** createOrder answered as filled, with the commission in `feeCurrency` as Binance reports it. */
function filledAnswer(amount: number, price: number, feeCurrency: string) {
  return (_symbol: unknown, _type: unknown, side: unknown, sent: unknown, _price: unknown, params: unknown) =>
    order({
      clientOrderId: (params as { clientOrderId: string }).clientOrderId,
      side: side as 'buy' | 'sell',
      status: 'closed',
      amount: sent as number,
      filled: sent as number,
      cost: (sent as number) * price,
      fee: { cost: feeCurrency === 'BTC' ? amount * 0.001 : amount * price * 0.001, currency: feeCurrency, rate: 0.001 },
    });
}

describe('ExchangeExecutor', () => {
  it('refuses an order before any price has arrived', async () => {
    const { clock, executor, log, newOrder } = setup();
    const started = executor.start();
    await runFor(clock, 1000);
    await started;
    executor.submit(newOrder({ quoteAmount: 100 }));
    expect(log.filter((l) => l.startsWith('rejected'))).toEqual([expect.stringMatching(/ invalid-order$/)]);
  });

  it('sells what the account holds after a commission taken in the coin, and books the whole position', async () => {
    const { clock, exchange, executor, fills, price, newOrder } = setup();
    const started = executor.start();
    await runFor(clock, 1000);
    await started;
    price(50_000);
    exchange.script('createOrder', filledAnswer(0.02, 50_000, 'BTC'));
    executor.submit(newOrder({ qty: 0.02 }));
    await runFor(clock, 500);
    expect(fills.map((f) => [f.side, f.qty, f.baseFee])).toEqual([['buy', 0.02, 0.00002]]);

    exchange.script('createOrder', filledAnswer(0.01998, 50_100, 'USDT'));
    executor.submit(newOrder({ side: 'sell', qty: 0.02 }));
    await runFor(clock, 500);
    // The exchange was asked for the lot it really holds (0.01998), never for its balance.
    expect(exchange.callsOf('createOrder')[1]?.args[3]).toBe(0.01998);
    expect(exchange.callsOf('fetchBalance')).toEqual([]);
    // The ledger sells its whole position at the fill price.
    const sell = fills[1]!;
    expect(sell.side).toBe('sell');
    expect(sell.qty).toBeCloseTo(0.02, 12);
    expect(sell.price).toBe(50_100);
    expect(executor.pending()).toEqual([]);
  });

  it('asks the exchange for the balance when the commission currency was never reported', async () => {
    const { clock, exchange, executor, log, price, newOrder } = setup();
    const started = executor.start();
    await runFor(clock, 1000);
    await started;
    price(50_000);
    // Filled, but the answer says nothing about the commission (as a query by id would not).
    exchange.script('createOrder', (_s, _t, side, sent, _p, params) =>
      order({ clientOrderId: (params as { clientOrderId: string }).clientOrderId, side: side as 'buy', status: 'closed', amount: sent as number, filled: sent as number, cost: (sent as number) * 50_000 }),
    );
    executor.submit(newOrder({ qty: 0.02 }));
    await runFor(clock, 500);
    exchange.script('fetchBalance', { result: { BTC: { free: 0.019975, used: 0, total: 0.019975 } } });
    exchange.script('createOrder', { error: new InsufficientFunds('binance Account has insufficient balance for requested action.') });
    executor.submit(newOrder({ side: 'sell', qty: 0.02 }));
    await runFor(clock, 500);
    expect(exchange.callsOf('fetchBalance')).toHaveLength(1);
    expect(exchange.callsOf('createOrder')[1]?.args[3]).toBe(0.01997);
    expect(log.filter((l) => l.startsWith('rejected'))).toEqual([expect.stringMatching(/ insufficient-funds$/)]);
  });

  it('trusts its own count of the coin no more once the exchange refused a sell for want of it', async () => {
    const { clock, exchange, executor, log, price, newOrder } = setup();
    const started = executor.start();
    await runFor(clock, 1000);
    await started;
    price(50_000);
    exchange.script('createOrder', filledAnswer(0.02, 50_000, 'USDT'));
    executor.submit(newOrder({ qty: 0.02 }));
    await runFor(clock, 500);
    // Something else on the account spent some of the coin.
    exchange.script('createOrder', { error: new InsufficientFunds('binance Account has insufficient balance for requested action.') });
    executor.submit(newOrder({ side: 'sell', qty: 0.02 }));
    await runFor(clock, 500);
    expect(exchange.callsOf('fetchBalance')).toEqual([]);
    expect(log.filter((l) => l.startsWith('rejected'))).toEqual([expect.stringMatching(/ insufficient-funds$/)]);
    exchange.script('fetchBalance', { result: { BTC: { free: 0.015, used: 0, total: 0.015 } } });
    executor.submit(newOrder({ side: 'sell', qty: 0.02 }));
    await runFor(clock, 500);
    expect(exchange.callsOf('fetchBalance')).toHaveLength(1);
    expect(exchange.callsOf('createOrder')[2]?.args[3]).toBe(0.015);
  });

  it('sends a market sell when a price reaches the stop-loss of a position it opened, once', async () => {
    const { clock, exchange, executor, fills, price, newOrder, entered } = setup();
    await entered({ stopLossPct: 2 });
    await runFor(clock, 500);
    price(49_500);
    await runFor(clock, 500);
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
    exchange.script('createOrder', filledAnswer(0.02, 48_900, 'USDT'));
    price(48_900);
    price(48_800);
    await runFor(clock, 500);
    const sells = exchange.callsOf('createOrder').slice(1);
    expect(sells.map((c) => [c.args[1], c.args[2], c.args[3]])).toEqual([['market', 'sell', 0.02]]);
    expect(fills.at(-1)).toMatchObject({ side: 'sell', reason: 'stop-loss' });
  });

  it('fires no level while it stops, so the level stays in the state for the next start', async () => {
    const { clock, exchange, executor, fills, price, newOrder, protections, entered } = setup();
    await entered({ stopLossPct: 2 });
    await runFor(clock, 500);
    await executor.stop();
    price(48_000);
    await runFor(clock, 500);
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
    expect(fills.map((f) => f.side)).toEqual(['buy']);
    expect(protections.get('BTC/USDT')?.stopLoss).toBe(49_000);
  });

  it('sells a ladder tier\'s share on the exchange and keeps the rest protected, its fill not cutting it twice', async () => {
    const { clock, exchange, executor, fills, price, newOrder, protections, entered } = setup();
    await entered({ stopLossPct: 2, takeProfitTiers: [{ atPct: 2, sellPct: 50, moveStopTo: 'breakeven' }] });
    await runFor(clock, 500);
    exchange.script('createOrder', filledAnswer(0.01, 51_000, 'USDT'));
    price(51_100);
    await runFor(clock, 500);
    const sells = exchange.callsOf('createOrder').slice(1);
    expect(sells.map((c) => [c.args[1], c.args[2], c.args[3]])).toEqual([['market', 'sell', 0.01]]);
    expect(fills.at(-1)).toMatchObject({ side: 'sell', reason: 'take-profit', qty: 0.01 });
    expect(protections.get('BTC/USDT')).toMatchObject({ qty: 0.01, stopLoss: 50_000 });
  });
});
