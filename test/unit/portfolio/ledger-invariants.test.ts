import type { ClosedTrade } from '../../../src/portfolio/types';
import { Ledger } from '../../../src/portfolio/ledger';
import type { PortfolioSnapshot } from '../../../src/portfolio/types';
import { fill } from './fills';

/** mulberry32: a tiny seeded PRNG, so a failing sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] as const;
const START_BALANCE = 10_000;
const FEE_RATE = 0.001;

function checkInvariants(snapshot: PortfolioSnapshot): void {
  const positionsValue = snapshot.positions.reduce((sum, p) => sum + p.qty * p.lastPrice, 0);
  expect(snapshot.equity).toBe(snapshot.cash + positionsValue);
  expect(snapshot.cash).toBeGreaterThanOrEqual(-1e-9);
  const unrealized = snapshot.positions.reduce((sum, p) => sum + p.unrealizedPnl, 0);
  const openEntryFees = snapshot.positions.reduce((sum, p) => sum + p.entryFees, 0);
  const gain = snapshot.equity - START_BALANCE;
  const explained = snapshot.realizedPnl + unrealized - openEntryFees;
  expect(Math.abs(gain - explained)).toBeLessThanOrEqual(1e-9 * Math.max(START_BALANCE, Math.abs(snapshot.equity)));
}

/** Random buys (sized like the broker does), partial and full sells, and marks on a random walk. */
function runRandomSequence(seed: number, steps: number): { ledger: Ledger; feesCharged: number; trades: ClosedTrade[] } {
  const random = prng(seed);
  const ledger = new Ledger({ quoteCurrency: 'USDT', startBalance: START_BALANCE });
  const prices = new Map<string, number>(SYMBOLS.map((s, i) => [s, 100 * (i + 1)]));
  let feesCharged = 0;
  const trades: ClosedTrade[] = [];
  for (let step = 0; step < steps; step++) {
    const symbol = SYMBOLS[Math.floor(random() * SYMBOLS.length)]!;
    const price = prices.get(symbol)! * (1 + (random() - 0.5) * 0.04);
    prices.set(symbol, price);
    const held = ledger.position(symbol)?.qty ?? 0;
    const action = random();
    if (action < 0.4) {
      const quoteAmount = ledger.cash() * (random() < 0.1 ? 1 : random() * 0.5);
      if (quoteAmount <= 1) continue;
      const qty = quoteAmount / (price * (1 + FEE_RATE));
      const fee = qty * price * FEE_RATE;
      ledger.applyFill(fill({ symbol, side: 'buy', qty, price, fee, time: step }));
      feesCharged += fee;
    } else if (action < 0.7 && held > 0) {
      const qty = random() < 0.5 ? held : held * (0.1 + random() * 0.8);
      const fee = qty * price * FEE_RATE;
      const closed = ledger.applyFill(fill({ symbol, side: 'sell', qty, price, fee, reason: 'signal', time: step }));
      if (closed) trades.push(closed);
      feesCharged += fee;
    } else {
      ledger.mark(symbol, price);
    }
    checkInvariants(ledger.snapshot(step));
  }
  return { ledger, feesCharged, trades };
}

describe('Ledger invariants over random fill sequences', () => {
  it.each([1, 2, 3, 42, 1234])('keeps equity = cash + positions and reconciles PnL with equity at every step (seed %i)', (seed) => {
    const { ledger, feesCharged, trades } = runRandomSequence(seed, 2_000);
    // The sequence must actually exercise closes and leave a book worth checking.
    expect(trades.length).toBeGreaterThan(20);
    expect(ledger.feesPaid()).toBeCloseTo(feesCharged, 9);
  });

  it('charges every round trip exactly its realized PnL once all positions are closed', () => {
    const { ledger, trades } = runRandomSequence(7, 1_000);
    for (const symbol of SYMBOLS) {
      const qty = ledger.position(symbol)?.qty;
      if (qty) trades.push(ledger.applyFill(fill({ symbol, side: 'sell', qty, price: 100, reason: 'end-of-run', time: 1_000 }))!);
    }
    expect(ledger.openPositionCount()).toBe(0);
    const tradesPnl = trades.reduce((sum, t) => sum + t.pnl, 0);
    expect(tradesPnl).toBeCloseTo(ledger.realizedPnl(), 6);
    expect(ledger.equity() - START_BALANCE).toBeCloseTo(tradesPnl, 6);
  });
});
