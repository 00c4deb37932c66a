/**
 * Per-strategy sub-ledgers by hand: the account of 10,000 split 60 / 30 (10 % left unallocated), fills
 * attributed to the strategy whose entry opened the position, entries sized on the strategy's own cash, and
 * the sub-ledgers summing to the account.
 */
import fc from 'fast-check';
import type { Candle } from '../../../src/market/types';
import { Books } from '../../../src/portfolio/books';
import { allocationsMismatch, allocationsProblem } from '../../../src/portfolio/strategy-books';
import { RiskEngine, type BookView } from '../../../src/risk/risk-engine';
import { fill } from './fills';

const ALLOCATIONS = { trend: 60, swing: 30 };
const T0 = Date.UTC(2024, 0, 1);

function candle(symbol: string, time: number, close: number): Candle {
  return { symbol, timeframe: '1h', time, open: close, high: close, low: close, close, volume: 1 };
}

describe('per-strategy sub-ledgers', () => {
  it('books each fill in the sub-ledger of the strategy whose entry opened the position, whoever sells it', () => {
    const books = Books.open('USDT', 10_000, T0, undefined, ALLOCATIONS);
    expect(books.snapshot().strategies).toEqual({
      trend: { allocationPct: 60, cash: 6_000, equity: 6_000, symbols: [] },
      swing: { allocationPct: 30, cash: 3_000, equity: 3_000, symbols: [] },
    });
    // trend buys 10 BTC at 100 (fee 1): 6,000 - 1,001 = 4,999.
    books.fill(fill({ symbol: 'BTC/USDT', side: 'buy', qty: 10, price: 100, fee: 1, time: T0 }), 'trend');
    // swing buys 20 ETH at 50 (fee 1): 3,000 - 1,001 = 1,999.
    books.fill(fill({ symbol: 'ETH/USDT', side: 'buy', qty: 20, price: 50, fee: 1, time: T0 }), 'swing');
    books.period({ time: T0 + 3_600_000, candles: [candle('BTC/USDT', T0, 110), candle('ETH/USDT', T0, 45)] });
    const marked = books.snapshot().strategies!;
    expect(marked['trend']).toEqual({ allocationPct: 60, cash: 4_999, equity: 4_999 + 1_100, symbols: ['BTC/USDT'] });
    expect(marked['swing']).toEqual({ allocationPct: 30, cash: 1_999, equity: 1_999 + 900, symbols: ['ETH/USDT'] });
    // A stop-loss ('risk') sells trend's BTC at 108 (fee 1): trend's cash 4,999 + 1,079 = 6,078.
    const closed = books.fill(fill({ symbol: 'BTC/USDT', side: 'sell', qty: 10, price: 108, fee: 1, time: T0 + 7_200_000, reason: 'stop-loss' }), 'risk');
    expect(closed).toMatchObject({ symbol: 'BTC/USDT', strategy: 'trend', pnl: 1_080 - 1 - 1_000 - 1 });
    expect(books.snapshot().strategies!['trend']).toEqual({ allocationPct: 60, cash: 6_078, equity: 6_078, symbols: [] });
    const summary = books.summary().byStrategy!;
    expect(summary['trend']).toMatchObject({ startBalance: 6_000, finalEquity: 6_078, returnPct: expect.closeTo(1.3, 12), trades: 1, winRatePct: 100 });
    expect(summary['swing']).toMatchObject({ startBalance: 3_000, trades: 0 });
    // The account is the sub-ledgers plus the 1,000 no strategy was given.
    const account = books.snapshot();
    expect(account.equity).toBeCloseTo(6_078 + 1_999 + 900 + 1_000, 9);
  });

  it('sizes a strategy\'s entry on its own cash, and refuses it when that is spent though the account has cash', () => {
    const risk = new RiskEngine({ stake: '50%', maxOpenPositions: 5, maxPositionPct: 100, minNotional: 10 });
    const books = Books.open('USDT', 10_000, T0, undefined, ALLOCATIONS);
    const ask = (strategy: string, reservedQuote = 0): BookView => ({ snapshot: books.snapshot(), pendingEntries: [], reservedQuote, strategy: { name: strategy, reservedQuote } });
    // 50 % of swing's 3,000, not of the account's 10,000.
    expect(risk.reviewEntry({ symbol: 'ETH/USDT' }, ask('swing'), T0)).toEqual({ ok: true, quoteAmount: 1_500 });
    // swing spends its 3,000 on ETH; the account still holds 7,000 cash.
    books.fill(fill({ symbol: 'ETH/USDT', side: 'buy', qty: 60, price: 50, fee: 0, time: T0 }), 'swing');
    const refused = risk.reviewEntry({ symbol: 'SOL/USDT' }, ask('swing'), T0);
    expect(refused).toMatchObject({ ok: false, denial: { code: 'insufficient-cash' } });
    // What a strategy's own pending buys promised is not spent twice.
    // 50 % of trend's 6,000 is 3,000, but 4,000 of its cash is promised: 2,000 is free.
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, ask('trend', 4_000), T0)).toEqual({ ok: true, quoteAmount: 2_000 });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, ask('none'), T0)).toEqual({
      ok: false,
      denial: { code: 'no-allocation', message: 'entry in BTC/USDT refused: none has no capital in portfolio.allocations' },
    });
  });

  it('lets only the owner sell its position', () => {
    const risk = new RiskEngine({ stake: '50%', maxOpenPositions: 5, maxPositionPct: 100, minNotional: 10 });
    const books = Books.open('USDT', 10_000, T0, undefined, ALLOCATIONS);
    books.fill(fill({ symbol: 'ETH/USDT', side: 'buy', qty: 10, price: 50, fee: 0, time: T0 }), 'swing');
    expect(risk.reviewExit({ symbol: 'ETH/USDT', strategy: 'trend', exitPending: false }, books.snapshot())).toEqual({
      ok: false,
      denial: { code: 'not-owner', message: 'exit of ETH/USDT refused: the position is swing\'s, and trend trades its own sub-ledger only' },
    });
    expect(risk.reviewExit({ symbol: 'ETH/USDT', strategy: 'swing', exitPending: false }, books.snapshot())).toEqual({ ok: true, qty: 10 });
  });

  it('goes on to the same last bit after a save and a restore', () => {
    const books = Books.open('USDT', 10_000, T0, undefined, ALLOCATIONS);
    books.fill(fill({ symbol: 'BTC/USDT', side: 'buy', qty: 0.3, price: 101.7, fee: 0.03, time: T0 }), 'trend');
    const restored = Books.fromState('USDT', JSON.parse(JSON.stringify(books.toState())), undefined, ALLOCATIONS);
    for (const b of [books, restored]) b.fill(fill({ symbol: 'BTC/USDT', side: 'sell', qty: 0.3, price: 99.1, fee: 0.03, time: T0 + 1 }), 'risk');
    expect(restored.toState()).toEqual(books.toState());
    expect(restored.summary().byStrategy).toEqual(books.summary().byStrategy);
  });

  it('checks the allocations and that every strategy run has one, in one sentence each', () => {
    expect(allocationsProblem({ a: 60, b: 50 })).toBe('gives 110 % of the start balance in all, more than 100 %');
    expect(allocationsProblem({ a: 0 })).toBe('must give a a percent above 0 and at most 100');
    expect(allocationsMismatch({}, ['a'])).toBeUndefined();
    expect(allocationsMismatch({ a: 50 }, ['a', 'b'])).toBe('analysis.strategies runs b, but portfolio.allocations gives it no capital: give every strategy run a share, or leave portfolio.allocations empty');
    expect(allocationsMismatch({ a: 50, c: 10 }, ['a'])).toBe('portfolio.allocations gives c 10 %, but analysis.strategies does not run it');
  });
});

describe('sub-ledgers under any fills and marks (property)', () => {
  type Step = { kind: 'buy'; who: number; symbol: number; share: number } | { kind: 'sell'; symbol: number; share: number } | { kind: 'mark'; symbol: number; move: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('buy' as const), who: fc.integer({ min: 0, max: 1 }), symbol: fc.integer({ min: 0, max: 2 }), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('sell' as const), symbol: fc.integer({ min: 0, max: 2 }), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('mark' as const), symbol: fc.integer({ min: 0, max: 2 }), move: fc.double({ min: -0.3, max: 0.5, noNaN: true }) }),
  );
  const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
  const WHO = ['trend', 'swing'];

  it('keeps the account equal to the sub-ledgers plus the unallocated cash, and no sub-ledger\'s cash below zero', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const books = Books.open('USDT', 10_000, T0, undefined, ALLOCATIONS);
        const prices = [100, 50, 20];
        let time = T0;
        for (const s of steps) {
          const symbol = SYMBOLS[s.symbol]!;
          const price = prices[s.symbol]!;
          const views = books.snapshot().strategies!;
          if (s.kind === 'buy') {
            // An entry as the risk engine sizes it: from the strategy's own cash, into a flat symbol.
            const who = WHO[s.who]!;
            if (books.ledger.position(symbol)) continue;
            const qty = (views[who]!.cash * s.share) / (price * 1.001);
            if (qty * price < 1) continue;
            books.fill(fill({ symbol, side: 'buy', qty, price, fee: qty * price * 0.001, time }), who);
          } else if (s.kind === 'sell') {
            const held = books.ledger.position(symbol)?.qty ?? 0;
            if (held <= 0) continue;
            const qty = s.share > 0.9 ? held : held * s.share;
            books.fill(fill({ symbol, side: 'sell', qty, price, fee: qty * price * 0.001, time }), 'risk');
          } else {
            prices[s.symbol] = price * (1 + s.move);
            books.period({ time, candles: [candle(symbol, time, prices[s.symbol]!)] });
            time += 3_600_000;
          }
          const after = books.snapshot();
          const subs = Object.values(after.strategies!);
          const subEquity = subs.reduce((sum, b) => sum + b.equity, 0);
          expect(Math.abs(after.equity - (subEquity + 1_000))).toBeLessThanOrEqual(1e-9 * after.equity);
          for (const b of subs) expect(b.cash).toBeGreaterThanOrEqual(-1e-9 * after.equity);
          const held = new Set(subs.flatMap((b) => b.symbols));
          expect([...held].sort()).toEqual(after.positions.map((p) => p.symbol).sort());
        }
      }),
      { numRuns: 300 },
    );
  });
});
