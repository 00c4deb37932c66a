import type { PriceEvent } from '../../../src/execution/price-event';
import { ProtectionBook } from '../../../src/execution/protection-book';

function event(low: number, high: number, open = (low + high) / 2): PriceEvent {
  return { symbol: 'BTC/USDT', time: 0, open, high, low, close: open };
}

describe('ProtectionBook', () => {
  it('sets an entry fill\'s levels around its price exactly, covering its quantity', () => {
    const book = new ProtectionBook();
    book.entryFilled('BTC/USDT', 'e-1', 0.3, 101.7, { stopLossPct: 2, takeProfitPct: 5 });
    expect(book.get('BTC/USDT')).toEqual({ qty: 0.3, stopLoss: 101.7 * 0.98, takeProfit: 101.7 * 1.05 });
  });

  it('moves the levels to the average of an entry order\'s fills as it fills in pieces', () => {
    const book = new ProtectionBook();
    book.entryFilled('BTC/USDT', 'e-1', 1, 100, { stopLossPct: 10 });
    book.entryFilled('BTC/USDT', 'e-1', 3, 104, { stopLossPct: 10 });
    // (100 + 3 x 104) / 4 = 103; 10 % below is 92.7.
    expect(book.get('BTC/USDT')?.qty).toBe(4);
    expect(book.get('BTC/USDT')?.stopLoss).toBeCloseTo(92.7, 12);
  });

  it('starts a new entry order\'s levels from its own first fill, keeping the quantity protected before', () => {
    const book = new ProtectionBook();
    book.entryFilled('BTC/USDT', 'e-1', 1, 100, { takeProfitPct: 10 });
    book.entryFilled('BTC/USDT', 'e-2', 1, 200, { takeProfitPct: 10 });
    expect(book.get('BTC/USDT')).toEqual({ qty: 2, takeProfit: 220.00000000000003 });
  });

  it('watches nothing for an entry without levels', () => {
    const book = new ProtectionBook();
    book.entryFilled('BTC/USDT', 'e-1', 1, 100, { stopLossPct: 0, takeProfitPct: 0 });
    book.entryFilled('BTC/USDT', 'e-2', 1, 100, undefined);
    expect(book.get('BTC/USDT')).toBeUndefined();
    expect(book.entries()).toEqual([]);
  });

  it('cuts the protected quantity by what sells sold, and drops a float-dust remainder', () => {
    const book = new ProtectionBook();
    book.set('BTC/USDT', { qty: 0.3, stopLoss: 90 });
    book.exitFilled('BTC/USDT', 0.1);
    expect(book.get('BTC/USDT')?.qty).toBeCloseTo(0.2, 15);
    book.exitFilled('BTC/USDT', 0.1);
    // 0.3 - 0.1 - 0.1 - 0.1 is 2.8e-17 in floats: dust, not a position.
    book.exitFilled('BTC/USDT', 0.1);
    expect(book.get('BTC/USDT')).toBeUndefined();
  });

  it('fires once, at the level reached inside the event or at a gap\'s open, the stop first when both are reached', () => {
    const book = new ProtectionBook();
    const slot = book.slot('BTC/USDT');
    book.set('BTC/USDT', { qty: 2, stopLoss: 95, takeProfit: 110 });
    expect(book.fire(slot, event(96, 109))).toBeUndefined();
    expect(book.fire(slot, event(94, 111))).toEqual({ symbol: 'BTC/USDT', qty: 2, reason: 'stop-loss', price: 95 });
    expect(book.fire(slot, event(90, 91))).toBeUndefined();
    book.set('BTC/USDT', { qty: 1, takeProfit: 110 });
    expect(book.fire(slot, event(111, 115, 112))).toEqual({ symbol: 'BTC/USDT', qty: 1, reason: 'take-profit', price: 112 });
  });

  it('keeps one slot per symbol for its whole life, and lists what it watches', () => {
    const book = new ProtectionBook();
    const slot = book.slot('ETH/USDT');
    book.set('ETH/USDT', { qty: 1, stopLoss: 9 });
    book.clear('ETH/USDT');
    book.set('ETH/USDT', { qty: 3, stopLoss: 8 });
    book.set('BTC/USDT', { qty: 1, takeProfit: 200 });
    expect(book.slot('ETH/USDT')).toBe(slot);
    expect(slot.protection).toEqual({ qty: 3, stopLoss: 8 });
    expect(book.entries()).toEqual([
      { symbol: 'ETH/USDT', protection: { qty: 3, stopLoss: 8 } },
      { symbol: 'BTC/USDT', protection: { qty: 1, takeProfit: 200 } },
    ]);
  });

  it('refuses levels that make no sense', () => {
    expect(() => new ProtectionBook().set('BTC/USDT', { qty: 1, stopLoss: 110, takeProfit: 100 })).toThrow('stop-loss 110 at or above its take-profit 100');
  });
});
