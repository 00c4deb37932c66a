import type { Candle } from '../../../src/market/types';
import { Books, type BooksProfitShare } from '../../../src/portfolio/books';
import type { ProfitShared } from '../../../src/portfolio/profit-share-account';
import { fill } from './fills';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const SHARE: BooksProfitShare = {
  schedule: { period: 'month', tiers: [{ upToPct: 10, sharePct: 10 }, { upToPct: 25, sharePct: 20 }, { sharePct: 30 }], hurdlePct: 2 },
  stepMs: HOUR,
};

function candle(time: number, close: number): Candle {
  return { symbol: 'BTC/USDT', timeframe: '1h', time, open: close, high: close, low: close, close, volume: 1 };
}

/** Plays an hourly candle at `time` closing at `close`; the settlement it caused, if any. */
function play(books: Books, time: number, close: number): ProfitShared | undefined {
  books.period({ time, candles: [candle(time, close)] });
  return books.settleProfitShare(time);
}

/** The README's example: 50 BTC bought at 100 from 10,000, so equity = cash + 50 x price. */
function openExample(share = SHARE): Books {
  const books = Books.open('USDT', 10_000, T0, share);
  books.fill(fill({ side: 'buy', qty: 50, price: 100, time: T0 }));
  return books;
}

describe('Books with a profit-share schedule', () => {
  it('shares a gain, carries a loss forward, and shares only the recovery above the old mark (README example)', () => {
    const books = openExample();
    // Not due before the last candle of January.
    expect(play(books, Date.UTC(2024, 0, 31, 22), 160)).toBeUndefined();
    const january = play(books, Date.UTC(2024, 0, 31, 23), 160)!;
    expect(january).toMatchObject({ time: Date.UTC(2024, 1, 1), periodStart: T0, periodEnd: Date.UTC(2024, 1, 1), equityBefore: 13_000, highWaterMark: 10_000, gain: 3000 });
    expect(january.fee).toBeCloseTo(530, 9);
    expect(january.paid).toBe(january.fee);
    expect(january.owed).toBe(0);
    expect(january.newHighWaterMark).toBeCloseTo(12_470, 9);
    expect(books.ledger.cash()).toBeCloseTo(4470, 9);

    expect(play(books, Date.UTC(2024, 1, 15), 150)).toBeUndefined();
    const february = play(books, Date.UTC(2024, 1, 29, 23), 140.6)!;
    expect(february.gain).toBeCloseTo(-970, 9);
    expect(february).toMatchObject({ periodStart: Date.UTC(2024, 1, 1), periodEnd: Date.UTC(2024, 2, 1), fee: 0, tiers: [] });
    expect(february.newHighWaterMark).toBe(january.newHighWaterMark);

    const march = play(books, Date.UTC(2024, 2, 31, 23), 190.6)!;
    expect(march.gain).toBeCloseTo(1530, 9);
    expect(march.fee).toBeCloseTo(156.36, 9);
    expect(march.tiers.map((t) => t.amount)).toEqual([expect.closeTo(99.76, 9), expect.closeTo(56.6, 9)]);
    expect(march.newHighWaterMark).toBeCloseTo(13_843.64, 9);
    expect(books.ledger.cash()).toBeCloseTo(4313.64, 9);

    const { profitShare } = books.summary();
    expect(profitShare).toEqual({ profitShared: january.fee + march.fee, profitShareOwed: 0, netEquity: books.ledger.equity(), netReturnPct: expect.closeTo(38.4364, 9) });
  });

  it('settles a quarter at 00:00 UTC on the 1st of April, from the candle whose close reaches it', () => {
    const books = openExample({ ...SHARE, schedule: { ...SHARE.schedule, period: 'quarter' } });
    expect(play(books, Date.UTC(2024, 0, 31, 23), 160)).toBeUndefined();
    expect(play(books, Date.UTC(2024, 2, 31, 22), 160)).toBeUndefined();
    expect(play(books, Date.UTC(2024, 2, 31, 23), 160)).toMatchObject({ periodStart: T0, periodEnd: Date.UTC(2024, 3, 1), gain: 3000 });
  });

  it('settles once over a gap in the data that skips a month end, at the first candle past it', () => {
    const books = openExample();
    expect(play(books, Date.UTC(2024, 2, 10), 160)).toMatchObject({ periodStart: T0, periodEnd: Date.UTC(2024, 2, 1) });
    expect(play(books, Date.UTC(2024, 2, 10, 1), 160)).toBeUndefined();
  });

  it('owes what cash cannot cover and pays it from the next sell', () => {
    const books = Books.open('USDT', 10_000, T0, SHARE);
    books.fill(fill({ side: 'buy', qty: 100, price: 100, time: T0 }));
    const january = play(books, Date.UTC(2024, 0, 31, 23), 130)!;
    expect(january).toMatchObject({ equityBefore: 13_000, paid: 0 });
    expect(january.owed).toBeCloseTo(530, 9);
    expect(books.ledger.cash()).toBe(0);
    expect(books.summary().profitShare?.netEquity).toBeCloseTo(12_470, 9);
    // The gain the owed fee was charged on is not charged again: measured net of it, February is flat.
    expect(play(books, Date.UTC(2024, 1, 29, 23), 130)!.fee).toBe(0);
    books.fill(fill({ side: 'sell', qty: 10, price: 130, time: Date.UTC(2024, 2, 2) }));
    expect(books.ledger.cash()).toBeCloseTo(1300 - 530, 9);
    expect(books.summary().profitShare?.profitShareOwed).toBe(0);
  });

  it('settles a "run" schedule at the run end only, once', () => {
    const books = openExample({ ...SHARE, schedule: { ...SHARE.schedule, period: 'run' } });
    expect(play(books, Date.UTC(2024, 0, 31, 23), 160)).toBeUndefined();
    expect(play(books, Date.UTC(2024, 5, 1), 160)).toBeUndefined();
    const end = books.settleRunEnd()!;
    expect(end).toMatchObject({ periodStart: T0, periodEnd: Date.UTC(2024, 5, 1), gain: 3000 });
    expect(end.fee).toBeCloseTo(530, 9);
    expect(books.settleRunEnd()).toBeUndefined();
  });

  it('moves the mark with a reconciliation, which is neither gain nor loss', () => {
    const books = Books.open('USDT', 10_000, T0, SHARE);
    books.reconcile({ cash: 12_000, adopt: [] });
    expect(play(books, Date.UTC(2024, 0, 31, 23), 100)).toMatchObject({ highWaterMark: 12_000, gain: 0, fee: 0 });
  });

  it('goes on to the same last bit after a save and a restore', () => {
    const closes = [160, 140.6, 190.6, 120, 201.3];
    const months = closes.map((_, i) => Date.UTC(2024, i + 1, 1) - HOUR);
    const straight = openExample();
    const restored: Books[] = [];
    let books = openExample();
    for (let i = 0; i < closes.length; i++) {
      play(straight, months[i]!, closes[i]!);
      play(books, months[i]!, closes[i]!);
      books = Books.fromState('USDT', JSON.parse(JSON.stringify(books.toState())), SHARE);
      restored.push(books);
    }
    books.fill(fill({ side: 'sell', qty: 50, price: 201.3, time: months[4]! }));
    straight.fill(fill({ side: 'sell', qty: 50, price: 201.3, time: months[4]! }));
    expect(books.toState()).toEqual(straight.toState());
    expect(books.summary()).toEqual(straight.summary());
    expect(books.toState().profitShare?.charged).toBeGreaterThan(0);
  });

  it('keeps the state and the summary of a run without a schedule as they were', () => {
    const books = Books.open('USDT', 10_000, T0);
    expect(books.toState()).not.toHaveProperty('profitShare');
    expect(books.toState().ledger).not.toHaveProperty('deducted');
    expect(books.summary()).not.toHaveProperty('profitShare');
  });
});
