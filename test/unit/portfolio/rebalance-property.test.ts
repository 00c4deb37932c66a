import fc from 'fast-check';
import { rebalanceRig } from './rebalance-rig';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT'] as const;

/** Targets of BTC, ETH and USDT summing to 100, from three draws. */
const targets = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 100 })).map(([a, b, c]) => {
  const sum = a + b + c;
  const btc = Math.floor((a / sum) * 100);
  const eth = Math.floor((b / sum) * 100);
  return { BTC: btc, ETH: eth, USDT: 100 - btc - eth };
});

/** A period: each symbol's gap from the last close to the open, and its move from the open to the close. */
const period = fc.tuple(fc.double({ min: -0.2, max: 0.2, noNaN: true }), fc.double({ min: -0.3, max: 0.4, noNaN: true }), fc.double({ min: -0.2, max: 0.2, noNaN: true }), fc.double({ min: -0.3, max: 0.4, noNaN: true }));

describe('ledger invariant under rebalances (property)', () => {
  it('keeps equity = cash + sum of qty x price and cash at or above zero after every period', () => {
    fc.assert(
      fc.property(
        targets,
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.constantFrom(null, '3h', '1d'),
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        fc.integer({ min: 0, max: 50 }),
        fc.array(period, { minLength: 1, maxLength: 60 }),
        (t, thresholdPct, every, fee, slippageBps, periods) => {
          const rig = rebalanceRig({ targets: t, thresholdPct, every, minTradeQuote: 1 }, SYMBOLS, { fee, slippageBps });
          const closes = [100, 50];
          periods.forEach(([gapA, moveA, gapB, moveB], i) => {
            const prices = [
              [closes[0]! * (1 + gapA), closes[0]! * (1 + gapA) * (1 + moveA)],
              [closes[1]! * (1 + gapB), closes[1]! * (1 + gapB) * (1 + moveB)],
            ] as const;
            rig.period(i, prices);
            closes[0] = prices[0][1];
            closes[1] = prices[1][1];
            const snapshot = rig.books.snapshot();
            let held = 0;
            for (const p of snapshot.positions) held += p.qty * p.lastPrice;
            expect(snapshot.cash).toBeGreaterThanOrEqual(-1e-9 * 10_000);
            expect(Math.abs(snapshot.equity - (snapshot.cash + held))).toBeLessThanOrEqual(1e-9 * Math.max(1, snapshot.equity));
            for (const p of snapshot.positions) expect(p.qty).toBeGreaterThan(0);
          });
          // A rebalance's legs are all sells before buys in time, and none is pending at once with another.
          for (const d of rig.done) {
            const sides = d.legs.map((l) => l.side);
            expect(sides.indexOf('sell') === -1 || sides.lastIndexOf('sell') < (sides.indexOf('buy') === -1 ? Infinity : sides.indexOf('buy'))).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
