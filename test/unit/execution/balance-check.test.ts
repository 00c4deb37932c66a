import { checkBalances, planAccount } from '../../../src/execution/balance-check';
import { positionView, snapshotOf } from '../../helpers/books';

const RULES = { symbols: ['BTC/USDT', 'ETH/USDT'], feeRate: 0.001 };

describe('checkBalances', () => {
  it('finds nothing where the commission rule explains the difference', () => {
    // 1 BTC bought: the account holds 0.999 of it, and a little more cash than the books (fees booked in quote).
    const books = snapshotOf(9_000, [positionView('BTC/USDT', 1, 1_000)]);
    expect(checkBalances(books, { USDT: 9_001, BTC: 0.999 }, RULES)).toEqual({ positions: [], unknown: [] });
  });

  it('finds cash off by more than 0.2 % of the equity, a position held in another amount, and coins no position explains', () => {
    const books = snapshotOf(9_000, [positionView('BTC/USDT', 1, 1_000), positionView('ETH/USDT', 2, 500)]);
    expect(checkBalances(books, { USDT: 8_900, BTC: 0.9, SOL: 3, XRP: 0 }, RULES)).toEqual({
      cash: { books: 9_000, exchange: 8_900 },
      positions: [
        { symbol: 'BTC/USDT', books: 1, exchange: 0.9 },
        { symbol: 'ETH/USDT', books: 2, exchange: 0 },
      ],
      unknown: [{ asset: 'SOL', qty: 3 }],
    });
  });
});

describe('planAccount', () => {
  const rules = { quote: 'USDT', adoptUnknown: false, minNotional: 10 };
  const price = (symbol: string): number | undefined => ({ 'ETH/USDT': 2_000 })[symbol];

  it('takes the account\'s cash, reports the rest, and leaves unknown coins alone', () => {
    const plan = planAccount({ cash: { books: 100, exchange: 90 }, positions: [], unknown: [{ asset: 'ETH', qty: 0.5, symbol: 'ETH/USDT' }, { asset: 'SOL', qty: 3 }] }, rules, price);
    expect(plan).toEqual({
      reconciliation: { cash: 90, adopt: [] },
      warnings: [
        "the books held 100 USDT and the account holds 90: the books take the account's",
        'the account holds 0.5 ETH that no position explains: left alone, never traded (state.adoptUnknownBalances takes it in)',
        'the account holds 3 SOL that no position explains: left alone, never traded',
      ],
    });
  });

  it('adopts an unknown coin of a traded symbol at its price when asked to, and ignores dust below the smallest order', () => {
    const findings = { positions: [], unknown: [{ asset: 'ETH', qty: 0.5, symbol: 'ETH/USDT' }, { asset: 'ETH', qty: 0.004, symbol: 'ETH/USDT' }] };
    expect(planAccount(findings, { ...rules, adoptUnknown: true }, price)).toEqual({
      reconciliation: { adopt: [{ symbol: 'ETH/USDT', qty: 0.5, price: 2_000 }] },
      warnings: ['the account holds 0.5 ETH that no position explains: taken into the books at 2000 (state.adoptUnknownBalances)'],
    });
  });
});
