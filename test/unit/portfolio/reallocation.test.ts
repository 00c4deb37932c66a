/**
 * A rebalance with sub-ledgers moves the allocations, by hand: trend 60 % and swing 30 % of 10,000 (1,000
 * unallocated), capital moved back to their shares of the strategies' equity, from free cash only.
 */
import fc from 'fast-check';
import { Books } from '../../../src/portfolio/books';
import { planReallocation, ReallocationTrigger } from '../../../src/portfolio/reallocation';
import type { StrategyBookView } from '../../../src/portfolio/strategy-books';
import { fill } from './fills';

const ALLOCATIONS = { trend: 60, swing: 30 };
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

const book = (cash: number, equity: number): StrategyBookView => ({ allocationPct: 0, cash, equity, symbols: [] });

describe('reallocation', () => {
  it('moves the excess of a strategy past its share to the one below, from its free cash', () => {
    // trend 7,500 and swing 1,500: 9,000 in all, so 6,000 and 3,000 are the targets.
    expect(planReallocation({ trend: book(4_000, 7_500), swing: book(1_500, 1_500) }, ALLOCATIONS)).toEqual([
      { strategy: 'trend', amount: -1_500 },
      { strategy: 'swing', amount: 1_500 },
    ]);
    // trend holds only 500 in cash: that is all it gives; its positions are its own.
    expect(planReallocation({ trend: book(500, 7_500), swing: book(1_500, 1_500) }, ALLOCATIONS)).toEqual([
      { strategy: 'trend', amount: -500 },
      { strategy: 'swing', amount: 500 },
    ]);
    // On target: nothing moves.
    expect(planReallocation({ trend: book(6_000, 6_000), swing: book(3_000, 3_000) }, ALLOCATIONS)).toEqual([]);
  });

  it('splits what the givers give among those below target by how far below they are', () => {
    const allocations = { a: 50, b: 25, c: 25 };
    // 12,000 in all: targets 6,000 / 3,000 / 3,000. a gives 3,000; b needs 2,000 and c 1,000.
    expect(planReallocation({ a: book(9_000, 9_000), b: book(1_000, 1_000), c: book(2_000, 2_000) }, allocations)).toEqual([
      { strategy: 'a', amount: -3_000 },
      { strategy: 'b', amount: 2_000 },
      { strategy: 'c', amount: 1_000 },
    ]);
  });

  it('is due when a share drifts past the threshold, or when every has passed, counted from the first period', () => {
    const byThreshold = new ReallocationTrigger({ thresholdPct: 5 }, ALLOCATIONS);
    // Shares of 60 / 30 are 66.67 % / 33.33 % of the strategies' equity.
    expect(byThreshold.onPeriod(T0, { trend: book(6_000, 6_000), swing: book(3_000, 3_000) })).toBeUndefined();
    // 7,000 of 10,000 is 70 %: 3.33 points off, within 5.
    expect(byThreshold.onPeriod(T0 + HOUR, { trend: book(7_000, 7_000), swing: book(3_000, 3_000) })).toBeUndefined();
    // 7,500 of 10,000 is 75 %: 8.33 points off.
    expect(byThreshold.onPeriod(T0 + 2 * HOUR, { trend: book(7_500, 7_500), swing: book(2_500, 2_500) })).toBe('threshold');
    const byTime = new ReallocationTrigger({ thresholdPct: 100, every: '1d' }, ALLOCATIONS);
    const due = [];
    for (let h = 0; h <= 48; h++) if (byTime.onPeriod(T0 + h * HOUR, { trend: book(6_000, 6_000), swing: book(3_000, 3_000) })) due.push(h);
    expect(due).toEqual([24, 48]);
    const restored = new ReallocationTrigger({ thresholdPct: 100, every: '1d' }, ALLOCATIONS);
    restored.restore(JSON.parse(JSON.stringify(byTime.toState())));
    expect(restored.onPeriod(T0 + 72 * HOUR, { trend: book(1, 1), swing: book(1, 1) })).toBe('every');
  });

  it('moves capital between the sub-ledgers of the books, leaving the account and the strategies\' returns as they were', () => {
    const books = Books.open('USDT', 10_000, T0, undefined, ALLOCATIONS);
    books.fill(fill({ symbol: 'BTC/USDT', side: 'buy', qty: 10, price: 100, fee: 0, time: T0 }), 'trend');
    books.fill(fill({ symbol: 'BTC/USDT', side: 'sell', qty: 10, price: 250, fee: 0, time: T0 + HOUR }), 'trend');
    // trend 7,500 cash, swing 3,000: targets 7,000 and 3,500.
    const before = books.snapshot();
    books.reallocate(planReallocation(books.strategyViews()!, ALLOCATIONS));
    const after = books.snapshot();
    expect(after.strategies!['trend']).toMatchObject({ cash: 7_000, equity: 7_000 });
    expect(after.strategies!['swing']).toMatchObject({ cash: 3_500, equity: 3_500 });
    expect(after.equity).toBe(before.equity);
    const summary = books.summary().byStrategy!;
    // trend earned 1,500 on 6,000 (25 %) and gave 500 away; swing earned nothing and was given 500.
    expect(summary['trend']).toMatchObject({ transferredIn: -500, returnPct: 25 });
    expect(summary['swing']).toMatchObject({ transferredIn: 500, returnPct: 0 });
    const restored = Books.fromState('USDT', JSON.parse(JSON.stringify(books.toState())), undefined, ALLOCATIONS);
    expect(restored.summary().byStrategy).toEqual(summary);
  });

  it('hands no receiver a negative amount when the shares of a tiny gift round up (a case the property found)', () => {
    const books = { s0: book(5e-323, 5e-323 + 0.05256410256410257), s1: book(0, 0), s2: book(0, 0) };
    const transfers = planReallocation(books, { s0: 1, s1: 39, s2: 1 });
    expect(transfers.find((t) => t.strategy === 's0')!.amount).toBeLessThan(0);
    for (const t of transfers.filter((t) => t.strategy !== 's0')) expect(t.amount).toBeGreaterThanOrEqual(0);
    expect(transfers.reduce((sum, t) => sum + t.amount, 0)).toBe(0);
  });

  it('keeps the strategies\' equity, sends no sub-ledger\'s cash below zero, and gives only to those below target (property)', () => {
    const view = fc.record({ cash: fc.double({ min: 0, max: 10_000, noNaN: true }), held: fc.double({ min: 0, max: 10_000, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(view, { minLength: 2, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 5, maxLength: 5 }), (views, pcts) => {
        const allocations: Record<string, number> = {};
        const books: Record<string, StrategyBookView> = {};
        views.forEach((v, i) => {
          allocations[`s${i}`] = pcts[i]!;
          books[`s${i}`] = book(v.cash, v.cash + v.held);
        });
        const transfers = planReallocation(books, allocations);
        const sum = transfers.reduce((s, t) => s + t.amount, 0);
        const total = Object.values(books).reduce((s, b) => s + b.equity, 0);
        expect(Math.abs(sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, total));
        const shares = Object.values(allocations).reduce((s, p) => s + p, 0);
        for (const { strategy, amount } of transfers) {
          const b = books[strategy]!;
          const target = (total * allocations[strategy]!) / shares;
          expect(b.cash + amount).toBeGreaterThanOrEqual(-1e-9 * Math.max(1, total));
          // A giver stays at or above its target; a receiver at or below it.
          if (amount < 0) expect(b.equity + amount).toBeGreaterThanOrEqual(target - 1e-9 * Math.max(1, total));
          else expect(b.equity + amount).toBeLessThanOrEqual(target + 1e-6 * Math.max(1, total));
        }
      }),
      { numRuns: 500 },
    );
  });
});
