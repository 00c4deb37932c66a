import fc from 'fast-check';
import type { Candle } from '../../../src/market/types';
import { Books } from '../../../src/portfolio/books';
import { fill } from './fills';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT'] as const;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const FEE_RATE = 0.001;

type Step =
  | { kind: 'buy'; symbol: number; cashShare: number }
  | { kind: 'sell'; symbol: number; heldShare: number }
  | { kind: 'mark'; symbol: number; move: number }
  | { kind: 'month-end' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('buy' as const), symbol: fc.integer({ min: 0, max: 1 }), cashShare: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('sell' as const), symbol: fc.integer({ min: 0, max: 1 }), heldShare: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('mark' as const), symbol: fc.integer({ min: 0, max: 1 }), move: fc.double({ min: -0.3, max: 0.5, noNaN: true }) }),
  fc.constant({ kind: 'month-end' as const }),
);

const tiers = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 4 }).map((shares) =>
  shares.map((sharePct, i) => (i === shares.length - 1 ? { sharePct } : { upToPct: (i + 1) * 5, sharePct })),
);

describe('ledger invariant under fills, marks and profit-share deductions (property)', () => {
  it('keeps equity = cash + sum of qty x price and cash at or above zero', () => {
    fc.assert(
      fc.property(tiers, fc.double({ min: 0, max: 20, noNaN: true }), fc.array(step, { maxLength: 80 }), (schedTiers, hurdlePct, steps) => {
        const books = Books.open('USDT', 10_000, T0, { schedule: { period: 'month', tiers: schedTiers, hurdlePct }, stepMs: HOUR });
        const prices = [100, 50];
        let month = 0;
        let time = T0;
        for (const s of steps) {
          const symbol: string = SYMBOLS['symbol' in s ? s.symbol : 0]!;
          const i = 'symbol' in s ? s.symbol : 0;
          if (s.kind === 'buy') {
            const qty = (books.ledger.cash() * s.cashShare) / (prices[i]! * (1 + FEE_RATE));
            if (qty * prices[i]! < 1) continue;
            books.fill(fill({ symbol, side: 'buy', qty, price: prices[i]!, fee: qty * prices[i]! * FEE_RATE, time }));
          } else if (s.kind === 'sell') {
            const held = books.ledger.position(symbol)?.qty ?? 0;
            if (held <= 0) continue;
            const qty = s.heldShare === 1 ? held : held * s.heldShare;
            books.fill(fill({ symbol, side: 'sell', qty, price: prices[i]!, fee: qty * prices[i]! * FEE_RATE, time }));
          } else {
            if (s.kind === 'mark') prices[i] = prices[i]! * (1 + s.move);
            // A month end is the last hourly candle of the month; a mark, any candle within it.
            if (s.kind === 'month-end') month += 1;
            time = s.kind === 'month-end' ? Date.UTC(2024, month, 1) - HOUR : Math.max(time, Date.UTC(2024, month, 1) + HOUR);
            const candles: Candle[] = SYMBOLS.map((sym, k) => ({ symbol: sym, timeframe: '1h', time, open: prices[k]!, high: prices[k]!, low: prices[k]!, close: prices[k]!, volume: 1 }));
            books.period({ time, candles });
            books.settleProfitShare(time);
            time += HOUR;
          }
          const snapshot = books.snapshot();
          const positionsValue = snapshot.positions.reduce((sum, p) => sum + p.qty * p.lastPrice, 0);
          expect(Math.abs(snapshot.equity - (snapshot.cash + positionsValue))).toBeLessThanOrEqual(1e-9 * Math.max(1, snapshot.equity));
          expect(snapshot.cash).toBeGreaterThanOrEqual(-1e-9 * Math.max(1, snapshot.equity));
          const share = books.toState().profitShare!;
          expect(share.owed).toBeGreaterThanOrEqual(0);
          expect(share.charged).toBeCloseTo(books.ledger.deductedTotal() + share.owed, 6);
        }
      }),
      { numRuns: 300 },
    );
  });
});
