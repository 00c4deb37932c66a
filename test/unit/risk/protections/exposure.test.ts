import type { PortfolioSnapshot } from '../../../../src/portfolio/types';
import { checkExposure } from '../../../../src/risk/protections/exposure';

/** Equity 10,000: cash 6,000, BTC worth 3,000, ETH worth 1,000. */
const BOOKS: PortfolioSnapshot = {
  time: 0,
  quoteCurrency: 'USDT',
  cash: 6_000,
  positions: [
    { symbol: 'BTC/USDT', qty: 0.05, avgEntry: 60_000, entryTime: 0, lastPrice: 60_000, unrealizedPnl: 0, entryFees: 0 },
    { symbol: 'ETH/USDT', qty: 0.5, avgEntry: 2_000, entryTime: 0, lastPrice: 2_000, unrealizedPnl: 0, entryFees: 0 },
  ],
  positionsValue: 4_000,
  equity: 10_000,
  realizedPnl: 0,
  feesPaid: 0,
};

describe('checkExposure', () => {
  it('passes an entry that fits, cuts one to the room left, refuses one whose room is below the minimum order', () => {
    const limits = { totalPct: 50, assetPct: 0, minNotional: 10 };
    // 4,000 held + 500 reserved: 500 of the 5,000 allowed remain.
    expect(checkExposure('SOL/USDT', 400, BOOKS, 500, limits)).toEqual({ ok: true, quoteAmount: 400 });
    expect(checkExposure('SOL/USDT', 2_000, BOOKS, 500, limits)).toEqual({ ok: true, quoteAmount: 500 });
    expect(checkExposure('SOL/USDT', 2_000, BOOKS, 995, limits)).toEqual({
      ok: false,
      code: 'max-exposure',
      message:
        'entry of 2,000.00 USDT in SOL/USDT refused: positions and pending buys are 4,995.00 USDT, 50.0 % of equity 10,000.00, leaving 5.00 USDT under the limit of 50 %, below the minimum order',
    });
  });

  it('counts the positions of the same base asset for the per-asset limit', () => {
    const books: PortfolioSnapshot = { ...BOOKS, positions: [{ ...BOOKS.positions[0]!, symbol: 'BTC/USDC' }, BOOKS.positions[1]!] };
    const limits = { totalPct: 0, assetPct: 30, minNotional: 10 };
    expect(checkExposure('BTC/USDT', 1_000, books, 0, limits)).toMatchObject({ ok: false, code: 'max-asset-exposure' });
    expect(checkExposure('ETH/USDT', 5_000, books, 0, limits)).toEqual({ ok: true, quoteAmount: 2_000 });
  });
});
