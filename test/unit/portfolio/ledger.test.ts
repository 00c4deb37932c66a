import { Ledger } from '../../../src/portfolio/ledger';
import { fill } from './fills';

const newLedger = (startBalance = 10_000) => new Ledger({ quoteCurrency: 'USDT', startBalance });

describe('Ledger buys', () => {
  it('re-weights the average entry on adds, fees excluded, and accumulates entry fees', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 1, price: 100, fee: 0.1, time: 1_000 }));
    ledger.applyFill(fill({ side: 'buy', qty: 3, price: 200, fee: 0.6, time: 2_000 }));
    const position = ledger.position('BTC/USDT');
    // (1 x 100 + 3 x 200) / 4 = 700 / 4 = 175
    expect(position?.avgEntry).toBeCloseTo(175, 12);
    expect(position?.qty).toBe(4);
    expect(position?.entryFees).toBeCloseTo(0.7, 12);
    expect(position?.entryTime).toBe(1_000);
    // 10000 - (100 + 0.1) - (600 + 0.6) = 9299.3
    expect(ledger.cash()).toBeCloseTo(9299.3, 9);
    expect(ledger.feesPaid()).toBeCloseTo(0.7, 12);
    expect(ledger.realizedPnl()).toBe(0);
  });

  it('marks the position at the fill price and values it at the last mark afterwards', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 2, price: 100, fee: 0.2 }));
    expect(ledger.position('BTC/USDT')?.lastPrice).toBe(100);
    ledger.mark('BTC/USDT', 110);
    const position = ledger.position('BTC/USDT');
    // (110 - 100) x 2 = 20, fees excluded
    expect(position?.unrealizedPnl).toBeCloseTo(20, 12);
    // cash 10000 - 200.2 = 9799.8, plus 2 x 110 = 220
    expect(ledger.equity()).toBeCloseTo(10_019.8, 9);
  });

  it('ignores a mark for a symbol it holds nothing of', () => {
    const ledger = newLedger();
    ledger.mark('ETH/USDT', 3_000);
    expect(ledger.position('ETH/USDT')).toBeUndefined();
    expect(ledger.equity()).toBe(10_000);
  });

  it('accepts a buy that spends the cash to the last ulp', () => {
    const ledger = newLedger(1_000);
    const price = 123.456;
    const feeRate = 0.001;
    // How the broker sizes an all-cash buy: quoteAmount / (price x (1 + fee)).
    const qty = 1_000 / (price * (1 + feeRate));
    expect(() => ledger.applyFill(fill({ side: 'buy', qty, price, fee: qty * price * feeRate }))).not.toThrow();
    expect(Math.abs(ledger.cash())).toBeLessThan(1e-9);
  });
});

describe('Ledger sells', () => {
  it('realizes PnL on a partial exit after the exit fee and the sold share of the entry fees, keeping the average entry', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 2, price: 100, fee: 0.2 }));
    const closed = ledger.applyFill(fill({ side: 'sell', qty: 0.5, price: 120, fee: 0.06 }));
    expect(closed).toBeUndefined();
    // (120 - 100) x 0.5 - 0.06 - 0.2 x (0.5 / 2) = 10 - 0.06 - 0.05 = 9.89
    expect(ledger.realizedPnl()).toBeCloseTo(9.89, 12);
    const position = ledger.position('BTC/USDT');
    expect(position?.qty).toBe(1.5);
    expect(position?.avgEntry).toBe(100);
    // 0.2 - 0.05 = 0.15 still to be charged
    expect(position?.entryFees).toBeCloseTo(0.15, 12);
    // 10000 - 200.2 + 60 - 0.06 = 9859.74
    expect(ledger.cash()).toBeCloseTo(9859.74, 9);
  });

  it('closes the position on the last exit and returns the round trip with every fee in its PnL', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 2, price: 100, fee: 0.2, time: 1_000 }));
    ledger.applyFill(fill({ side: 'sell', qty: 0.5, price: 120, fee: 0.06, time: 2_000 }));
    const closed = ledger.applyFill(fill({ side: 'sell', qty: 1.5, price: 90, fee: 0.135, reason: 'stop-loss', time: 3_000 }));
    // second exit: (90 - 100) x 1.5 - 0.135 - 0.15 = -15.285; with the first: 9.89 - 15.285 = -5.395
    expect(closed).toEqual({
      symbol: 'BTC/USDT',
      entryTime: 1_000,
      exitTime: 3_000,
      side: 'long',
      qty: 2,
      entryPrice: 100,
      // (0.5 x 120 + 1.5 x 90) / 2 = 195 / 2
      exitPrice: 97.5,
      // 0.2 + 0.06 + 0.135
      fees: expect.closeTo(0.395, 12),
      pnl: expect.closeTo(-5.395, 12),
      // -5.395 / (2 x 100 + 0.2) x 100
      pnlPct: expect.closeTo((-5.395 / 200.2) * 100, 12),
      exitReason: 'stop-loss',
    });
    expect(ledger.position('BTC/USDT')).toBeUndefined();
    expect(ledger.openPositionCount()).toBe(0);
    expect(ledger.realizedPnl()).toBeCloseTo(-5.395, 12);
    // 9859.74 + 135 - 0.135 = 9994.605 = 10000 - 5.395
    expect(ledger.cash()).toBeCloseTo(9994.605, 9);
    expect(ledger.equity()).toBe(ledger.cash());
  });

  it('prices a round trip with adds at the quantity-weighted entry and charges all entry fees on a single exit', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 1, price: 100, fee: 0.1, time: 1_000 }));
    ledger.applyFill(fill({ side: 'buy', qty: 1, price: 110, fee: 0.11, time: 2_000 }));
    const closed = ledger.applyFill(fill({ side: 'sell', qty: 2, price: 120, fee: 0.24, reason: 'take-profit', time: 3_000 }));
    expect(closed?.entryPrice).toBeCloseTo(105, 12);
    expect(closed?.entryTime).toBe(1_000);
    // (120 - 105) x 2 - 0.24 - 0.21 = 29.55
    expect(closed?.pnl).toBeCloseTo(29.55, 12);
    // 29.55 / (210 + 0.21) x 100
    expect(closed?.pnlPct).toBeCloseTo((29.55 / 210.21) * 100, 12);
    expect(closed?.fees).toBeCloseTo(0.45, 12);
    expect(closed?.exitReason).toBe('take-profit');
  });

  it('prices a round trip with an add after a partial exit over everything bought and sold', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 2, price: 100 }));
    ledger.applyFill(fill({ side: 'sell', qty: 1, price: 110 }));
    ledger.applyFill(fill({ side: 'buy', qty: 1, price: 130 }));
    // running average: (1 x 100 + 1 x 130) / 2 = 115
    expect(ledger.position('BTC/USDT')?.avgEntry).toBeCloseTo(115, 12);
    const closed = ledger.applyFill(fill({ side: 'sell', qty: 2, price: 120 }));
    expect(closed?.qty).toBe(3);
    // spent 200 + 130 = 330 on 3
    expect(closed?.entryPrice).toBeCloseTo(110, 12);
    // received 110 + 240 = 350 for 3
    expect(closed?.exitPrice).toBeCloseTo(350 / 3, 12);
    // (110 - 100) x 1 + (120 - 115) x 2 = 20 = 350 - 330
    expect(closed?.pnl).toBeCloseTo(20, 12);
    expect(closed?.pnlPct).toBeCloseTo((20 / 330) * 100, 12);
  });

  // 19337.53 x q / q is 19337.529999999995 for this q: a price got back from the notional is one ulp off.
  const PRICE = 19_337.53;
  const ULP_QTY = 1.8023393493785504;

  it('gives the fill prices exactly as filled when each side filled at one price', () => {
    expect((ULP_QTY * PRICE) / ULP_QTY).not.toBe(PRICE);
    const ledger = newLedger(100_000);
    ledger.applyFill(fill({ side: 'buy', qty: ULP_QTY, price: PRICE }));
    const closed = ledger.applyFill(fill({ side: 'sell', qty: ULP_QTY, price: PRICE }));
    expect(closed?.entryPrice).toBe(PRICE);
    expect(closed?.exitPrice).toBe(PRICE);
  });

  it('keeps the one price of several fills at it, and averages a side whose fills differ', () => {
    const ledger = newLedger(100_000);
    ledger.applyFill(fill({ side: 'buy', qty: ULP_QTY, price: PRICE }));
    ledger.applyFill(fill({ side: 'buy', qty: 0.3, price: PRICE }));
    ledger.applyFill(fill({ side: 'sell', qty: 1, price: 20_000 }));
    const closed = ledger.applyFill(fill({ side: 'sell', qty: ULP_QTY + 0.3 - 1, price: 21_000 }));
    expect(closed?.entryPrice).toBe(PRICE);
    expect(closed?.exitPrice).toBeCloseTo((20_000 + (ULP_QTY - 0.7) * 21_000) / (ULP_QTY + 0.3), 9);
  });

  it('keeps the exact fill price across a state file, and an older file without it prices by the average', () => {
    const ledger = newLedger(100_000);
    ledger.applyFill(fill({ side: 'buy', qty: ULP_QTY, price: PRICE }));
    ledger.applyFill(fill({ side: 'sell', qty: 1, price: PRICE }));
    const state = JSON.parse(JSON.stringify(ledger.toState()));
    const restored = Ledger.fromState({ quoteCurrency: 'USDT', startBalance: 100_000 }, state);
    const closed = restored.applyFill(fill({ side: 'sell', qty: ULP_QTY - 1, price: PRICE }));
    expect(closed).toMatchObject({ entryPrice: PRICE, exitPrice: PRICE });

    for (const position of state.positions) {
      delete position.entryFillPrice;
      delete position.exitFillPrice;
    }
    const older = Ledger.fromState({ quoteCurrency: 'USDT', startBalance: 100_000 }, state);
    const averaged = older.applyFill(fill({ side: 'sell', qty: ULP_QTY - 1, price: PRICE }));
    expect(averaged?.entryPrice).toBe((ULP_QTY * PRICE) / ULP_QTY);
  });

  it('closes a position whose exits leave only float dust', () => {
    const ledger = newLedger();
    for (let i = 0; i < 3; i++) ledger.applyFill(fill({ side: 'buy', qty: 0.1, price: 100 }));
    // 0.1 + 0.1 + 0.1 is 0.30000000000000004: three sells of 0.1 leave a few 1e-17 behind
    ledger.applyFill(fill({ side: 'sell', qty: 0.1, price: 100 }));
    ledger.applyFill(fill({ side: 'sell', qty: 0.1, price: 100 }));
    const closed = ledger.applyFill(fill({ side: 'sell', qty: 0.1, price: 100 }));
    expect(closed?.qty).toBeCloseTo(0.3, 12);
    expect(ledger.position('BTC/USDT')).toBeUndefined();
  });

  it('opens a fresh position after a close, with its own entry time and average', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 1, price: 100, time: 1_000 }));
    ledger.applyFill(fill({ side: 'sell', qty: 1, price: 100, time: 2_000 }));
    ledger.applyFill(fill({ side: 'buy', qty: 1, price: 50, time: 3_000 }));
    expect(ledger.position('BTC/USDT')).toMatchObject({ qty: 1, avgEntry: 50, entryTime: 3_000, entryFees: 0 });
  });
});

describe('Ledger refusals', () => {
  it('throws when a sell exceeds the position, quoting both quantities, and books nothing', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 1, price: 100 }));
    expect(() => ledger.applyFill(fill({ side: 'sell', qty: 1.5, price: 100 }))).toThrow('sell of 1.5 BTC/USDT exceeds the 1 held');
    expect(ledger.position('BTC/USDT')?.qty).toBe(1);
    expect(ledger.cash()).toBe(9_900);
  });

  it('throws on a sell with no position at all', () => {
    expect(() => newLedger().applyFill(fill({ side: 'sell', qty: 1, price: 100 }))).toThrow('sell of 1 BTC/USDT exceeds the 0 held');
  });

  it('throws on a fill quoted in another currency, naming both currencies', () => {
    const ledger = newLedger();
    expect(() => ledger.applyFill(fill({ symbol: 'ETH/BTC', side: 'buy', qty: 1, price: 0.05 }))).toThrow(
      'fill for ETH/BTC is quoted in BTC, but the ledger keeps its books in USDT',
    );
  });

  it('throws when a buy would take cash below zero, quoting cost and cash, and books nothing', () => {
    const ledger = newLedger(100);
    expect(() => ledger.applyFill(fill({ side: 'buy', qty: 1, price: 100, fee: 0.1 }))).toThrow(
      'buy of 1 BTC/USDT at 100 costs 100.1 USDT with fees, and only 100 is left',
    );
    expect(ledger.cash()).toBe(100);
    expect(ledger.openPositionCount()).toBe(0);
    expect(ledger.feesPaid()).toBe(0);
  });

  it.each([
    ['a zero quantity', { qty: 0 }],
    ['a negative price', { price: -1 }],
    ['a NaN fee', { fee: Number.NaN }],
  ])('throws on a fill with %s', (_label, bad) => {
    expect(() => newLedger().applyFill(fill({ side: 'buy', qty: 1, price: 100, ...bad }))).toThrow(/must be positive numbers/);
  });
});

describe('Ledger snapshots', () => {
  it('snapshots cash, positions, equity, realized PnL and fees at the time it is given', () => {
    const ledger = newLedger();
    ledger.applyFill(fill({ side: 'buy', qty: 2, price: 100, fee: 0.2, time: 1_000 }));
    ledger.applyFill(fill({ symbol: 'ETH/USDT', side: 'buy', qty: 1, price: 50, fee: 0.05, time: 2_000 }));
    ledger.applyFill(fill({ symbol: 'ETH/USDT', side: 'sell', qty: 1, price: 60, fee: 0.06, time: 3_000 }));
    ledger.mark('BTC/USDT', 105);
    const snapshot = ledger.snapshot(4_000);
    // cash: 10000 - 200.2 - 50.05 + 60 - 0.06 = 9809.69; positions: 2 x 105 = 210
    expect(snapshot).toEqual({
      time: 4_000,
      quoteCurrency: 'USDT',
      cash: expect.closeTo(9809.69, 9),
      positions: [
        { symbol: 'BTC/USDT', qty: 2, avgEntry: 100, entryTime: 1_000, lastPrice: 105, unrealizedPnl: 10, entryFees: 0.2 },
      ],
      positionsValue: 210,
      equity: expect.closeTo(10_019.69, 9),
      // ETH: (60 - 50) x 1 - 0.06 - 0.05 = 9.89
      realizedPnl: expect.closeTo(9.89, 12),
      // 0.2 + 0.05 + 0.06
      feesPaid: expect.closeTo(0.31, 12),
    });
  });
});
