import { Ledger } from '../../../src/portfolio/ledger';
import { markToMarket } from '../../../src/portfolio/mark-to-market';
import type { PortfolioSnapshot, PositionView } from '../../../src/portfolio/types';
import { fill } from './fills';

function position(symbol: string, qty: number, lastPrice: number): PositionView {
  return { symbol, qty, avgEntry: 100, entryTime: 0, lastPrice, unrealizedPnl: (lastPrice - 100) * qty, entryFees: 0 };
}

/** 1 000 cash, 2 BTC at 100 and 10 ETH at 20: positions 400, equity 1 400. */
function snapshot(): PortfolioSnapshot {
  return {
    time: 1_000,
    quoteCurrency: 'USDT',
    cash: 1_000,
    positions: [position('BTC/USDT', 2, 100), position('ETH/USDT', 10, 20)],
    positionsValue: 400,
    equity: 1_400,
    realizedPnl: 5,
    feesPaid: 1.5,
  };
}

const prices =
  (table: Record<string, number>) =>
  (symbol: string): number | undefined =>
    table[symbol];

describe('markToMarket', () => {
  it('returns the very same snapshot when no price moved', () => {
    const before = snapshot();
    expect(markToMarket(before, prices({ 'BTC/USDT': 100, 'ETH/USDT': 20 }), 9_000)).toBe(before);
  });

  it('returns the very same snapshot when there is no price for any symbol', () => {
    const before = snapshot();
    expect(markToMarket(before, () => undefined, 9_000)).toBe(before);
    // A price for a symbol without a position moves nothing either.
    expect(markToMarket(before, prices({ 'SOL/USDT': 55 }), 9_000)).toBe(before);
  });

  it('returns the very same snapshot when there are no positions', () => {
    const flat: PortfolioSnapshot = { ...snapshot(), positions: [], positionsValue: 0, equity: 1_000 };
    expect(markToMarket(flat, prices({ 'BTC/USDT': 500 }), 9_000)).toBe(flat);
  });

  it('values the positions at the new prices and stamps the given time, keeping the other fields', () => {
    const before = snapshot();
    const marked = markToMarket(before, prices({ 'BTC/USDT': 110, 'ETH/USDT': 18 }), 9_000);
    // 2 x 110 + 10 x 18 = 220 + 180 = 400: the same total, but the prices moved, so it is a new snapshot
    expect(marked).not.toBe(before);
    expect(marked.positionsValue).toBe(400);
    expect(marked.equity).toBe(1_400);
    expect(marked.time).toBe(9_000);

    const up = markToMarket(snapshot(), prices({ 'BTC/USDT': 125, 'ETH/USDT': 21 }), 9_000);
    // 2 x 125 + 10 x 21 = 250 + 210 = 460; equity 1 000 + 460 = 1 460
    expect(up).toMatchObject({ time: 9_000, positionsValue: 460, equity: 1_460, cash: 1_000, realizedPnl: 5, feesPaid: 1.5, quoteCurrency: 'USDT' });
  });

  it('keeps the last price of a symbol priceOf knows nothing of while another moved', () => {
    const marked = markToMarket(snapshot(), prices({ 'ETH/USDT': 25 }), 9_000);
    // BTC stays at its 100: 2 x 100 + 10 x 25 = 450; equity 1 450
    expect(marked.positionsValue).toBe(450);
    expect(marked.equity).toBe(1_450);
  });

  it('leaves the snapshot it was given as it was', () => {
    const before = snapshot();
    const copy = structuredClone(before);
    markToMarket(before, prices({ 'BTC/USDT': 300, 'ETH/USDT': 1 }), 9_000);
    expect(before).toEqual(copy);
  });

  it('sums in the snapshot order, so it equals to the last bit what the ledger says after the same marks', () => {
    const ledger = new Ledger({ quoteCurrency: 'USDT', startBalance: 1 });
    ledger.applyFill(fill({ symbol: 'BTC/USDT', side: 'buy', qty: 1.3, price: 0.3 }));
    ledger.applyFill(fill({ symbol: 'ETH/USDT', side: 'buy', qty: 0.07, price: 3.3 }));
    ledger.applyFill(fill({ symbol: 'SOL/USDT', side: 'buy', qty: 0.3, price: 1.1 }));
    // Closed and opened again: BTC is now the last position, not the first (nor in name order).
    ledger.applyFill(fill({ symbol: 'BTC/USDT', side: 'sell', qty: 1.3, price: 3.3 }));
    ledger.applyFill(fill({ symbol: 'BTC/USDT', side: 'buy', qty: 0.03, price: 0.07 }));
    const earlier = ledger.snapshot(1_000);
    expect(earlier.positions.map((p) => p.symbol)).toEqual(['ETH/USDT', 'SOL/USDT', 'BTC/USDT']);

    const now: Record<string, number> = { 'ETH/USDT': 0.2, 'SOL/USDT': 3.3, 'BTC/USDT': 0.7 };
    for (const [symbol, price] of Object.entries(now)) ledger.mark(symbol, price);
    const marked = markToMarket(earlier, prices(now), 2_000);
    const booked = ledger.snapshot(2_000);
    expect(marked.positionsValue).toBe(booked.positionsValue);
    expect(marked.equity).toBe(booked.equity);
    expect(marked.equity).toBe(ledger.equity());
    // cash 1 - 0.39 - 0.231 - 0.33 + 4.29 - 0.0021 = 4.3369; positions 0.07 x 0.2 + 0.3 x 3.3 + 0.03 x 0.7
    // = 0.014 + 0.99 + 0.021 = 1.025; equity 5.3619
    expect(marked.positionsValue).toBeCloseTo(1.025, 12);
    expect(marked.equity).toBeCloseTo(5.3619, 12);

    // The figures are chosen so that the order shows: summed by name, or backwards, the last bit differs.
    const held = new Map(earlier.positions.map((p) => [p.symbol, p.qty]));
    const sumIn = (order: string[]) => order.reduce((value, symbol) => value + held.get(symbol)! * now[symbol]!, 0);
    expect(earlier.cash + sumIn(['BTC/USDT', 'ETH/USDT', 'SOL/USDT'])).not.toBe(booked.equity);
    expect(earlier.cash + sumIn(['BTC/USDT', 'SOL/USDT', 'ETH/USDT'])).not.toBe(booked.equity);
    expect(earlier.cash + sumIn(['ETH/USDT', 'SOL/USDT', 'BTC/USDT'])).toBe(booked.equity);
  });
});
