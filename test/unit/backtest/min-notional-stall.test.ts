import { MinNotionalWatch, minNotionalStallLine, minNotionalStallText } from '../../../src/backtest/min-notional-stall';
import type { DenialCode, Order, OrderDenied } from '../../../src/execution/types';
import type { PortfolioSnapshot, PositionView } from '../../../src/portfolio/types';

const T = Date.UTC(2021, 5, 3, 10, 5);

function denied(code: DenialCode, createdAt: number, order: Partial<Order> = {}): OrderDenied {
  const entry: Order = { clientOrderId: `o-${createdAt}`, symbol: 'BTC/USDT', side: 'buy', type: 'market', quoteAmount: 1, reason: 'signal', origin: 'sma-cross', createdAt, ...order };
  return { order: entry, denial: { code, message: 'refused' } };
}

function books(cash: number, positions: PositionView[] = []): PortfolioSnapshot {
  return { time: 0, quoteCurrency: 'USDT', cash, positions, positionsValue: 0, equity: cash, realizedPnl: 0, feesPaid: 0 };
}

const HELD: PositionView = { symbol: 'ETH/USDT', qty: 1, avgEntry: 100, entryTime: 0, lastPrice: 100, unrealizedPnl: 0, entryFees: 0 };

describe('MinNotionalWatch', () => {
  it('reports from the first entry refused for cash below the minimum with nothing held, counting every one after', () => {
    const watch = new MinNotionalWatch(10, 'USDT', 10_000);
    watch.books(books(8.314));
    watch.denied(denied('insufficient-cash', T));
    watch.denied(denied('insufficient-cash', T + 300_000));
    watch.denied(denied('insufficient-cash', T + 600_000));
    expect(watch.result()).toEqual({ from: T, freeCash: 8.314, minNotional: 10, quote: 'USDT', count: 3 });
  });

  it('says nothing while the cash is only held by a position or by pending buys', () => {
    const watch = new MinNotionalWatch(10, 'USDT', 10_000);
    watch.books(books(0.000001, [HELD]));
    watch.denied(denied('insufficient-cash', T));
    // All of it promised to a pending buy of another symbol: the cash is there, the refusal is for now.
    watch.books(books(10_000));
    watch.denied(denied('insufficient-cash', T + 1));
    expect(watch.result()).toBeUndefined();
  });

  it('counts only entry signals refused for cash, not other refusals nor other orders', () => {
    const watch = new MinNotionalWatch(5, 'USDT', 10_000);
    watch.books(books(3));
    watch.denied(denied('max-open-positions', T));
    watch.denied(denied('insufficient-cash', T, { reason: 'rebalance' }));
    watch.denied(denied('insufficient-cash', T, { side: 'sell' }));
    expect(watch.result()).toBeUndefined();
    watch.denied(denied('insufficient-cash', T + 1));
    expect(watch.result()).toMatchObject({ from: T + 1, count: 1 });
  });

  it('judges an account that starts below the minimum on its start balance', () => {
    const watch = new MinNotionalWatch(5, 'USDT', 4);
    watch.denied(denied('insufficient-cash', T));
    expect(watch.result()).toMatchObject({ freeCash: 4, count: 1 });
  });

  it('is one sentence with the time, the cash, the minimum and the count', () => {
    const stall = { from: T, freeCash: 8.314, minNotional: 10, quote: 'USDT', count: 42 };
    expect(minNotionalStallLine(stall)).toBe(
      "from 2021-06-03T10:05:00Z the account's free cash (8.31 USDT) was below trade.minNotional (10 USDT): 42 entry signals were refused",
    );
    expect(minNotionalStallLine({ ...stall, count: 1 })).toMatch(/: 1 entry signal was refused$/);
    expect(minNotionalStallText(stall)).toBe(`${minNotionalStallLine(stall)}\n\n`);
    expect(minNotionalStallText(undefined)).toBe('');
  });
});
