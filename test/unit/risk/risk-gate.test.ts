import type { PortfolioSnapshot, PositionView } from '../../../src/portfolio/types';
import { checkEntry, checkExit, type RiskLimits, type RiskState } from '../../../src/risk/risk-gate';

const LIMITS: RiskLimits = { maxOpenPositions: 3, maxPositionPct: 50, minNotional: 10 };

function position(symbol: string, qty = 1): PositionView {
  return { symbol, qty, avgEntry: 100, entryTime: 0, lastPrice: 100, unrealizedPnl: 0, entryFees: 0 };
}

function state(fields: { cash?: number; equity?: number; positions?: PositionView[]; pendingEntries?: string[]; reservedQuote?: number }): RiskState {
  const positions = fields.positions ?? [];
  const positionsValue = positions.reduce((sum, p) => sum + p.qty * p.lastPrice, 0);
  const cash = fields.cash ?? 1000;
  const snapshot: PortfolioSnapshot = {
    time: 0,
    quoteCurrency: 'USDT',
    cash,
    positions,
    positionsValue,
    equity: fields.equity ?? cash + positionsValue,
    realizedPnl: 0,
    feesPaid: 0,
  };
  return { snapshot, pendingEntries: fields.pendingEntries ?? [], reservedQuote: fields.reservedQuote ?? 0 };
}

const btc = (quoteAmount: number) => ({ symbol: 'BTC/USDT', quoteAmount });

describe('checkEntry', () => {
  it('passes an entry within every limit unchanged and without notes', () => {
    expect(checkEntry(btc(250), state({ cash: 1000 }), LIMITS)).toEqual({ ok: true, quoteAmount: 250, notes: [] });
  });

  it('refuses a second entry in a symbol already held', () => {
    expect(checkEntry(btc(250), state({ positions: [position('BTC/USDT')] }), LIMITS)).toEqual({
      ok: false,
      denial: { code: 'already-in-position', message: 'entry of 250.00 USDT in BTC/USDT refused: a position in BTC/USDT is already open' },
    });
  });

  it('refuses an entry in a symbol whose entry is still pending', () => {
    expect(checkEntry(btc(250), state({ pendingEntries: ['BTC/USDT'] }), LIMITS)).toEqual({
      ok: false,
      denial: { code: 'already-in-position', message: 'entry of 250.00 USDT in BTC/USDT refused: an entry in BTC/USDT is already pending' },
    });
  });

  it('says already-in-position before max-open-positions when both apply', () => {
    const full = state({ positions: [position('BTC/USDT'), position('ETH/USDT'), position('SOL/USDT')] });
    const verdict = checkEntry(btc(250), full, LIMITS);
    expect(verdict.ok === false && verdict.denial.code).toBe('already-in-position');
  });

  it('refuses an entry when the open positions reach the limit', () => {
    const full = state({ positions: [position('ETH/USDT'), position('SOL/USDT'), position('XRP/USDT')] });
    expect(checkEntry(btc(250), full, LIMITS)).toEqual({
      ok: false,
      denial: { code: 'max-open-positions', message: 'entry of 250.00 USDT in BTC/USDT refused: 3 positions open, the limit is 3' },
    });
  });

  it('counts pending entries towards the open-position limit', () => {
    const verdict = checkEntry(btc(250), state({ positions: [position('ETH/USDT'), position('SOL/USDT')], pendingEntries: ['XRP/USDT'] }), LIMITS);
    expect(verdict).toEqual({
      ok: false,
      denial: { code: 'max-open-positions', message: 'entry of 250.00 USDT in BTC/USDT refused: 2 positions open and 1 pending, the limit is 3' },
    });
  });

  it('does not count a closed position (qty 0) as open', () => {
    const verdict = checkEntry(btc(250), state({ positions: [position('BTC/USDT', 0), position('ETH/USDT'), position('SOL/USDT')] }), LIMITS);
    expect(verdict.ok).toBe(true);
  });

  it('caps the amount at the share of equity allowed per position, with a note', () => {
    // equity 1000 x 20 / 100 = 200
    const verdict = checkEntry(btc(250), state({ cash: 1000 }), { ...LIMITS, maxPositionPct: 20 });
    expect(verdict).toEqual({ ok: true, quoteAmount: 200, notes: ['capped at 20% of equity 1000.00: 250.00 -> 200.00 USDT'] });
  });

  it('caps the amount at free cash, cash minus what pending buys reserved, with a note', () => {
    // cash 300 - reserved 120 = 180 free; equity 1000 x 50 % = 500 does not bind
    const verdict = checkEntry(btc(250), state({ cash: 300, equity: 1000, pendingEntries: ['ETH/USDT'], reservedQuote: 120 }), LIMITS);
    expect(verdict).toEqual({
      ok: true,
      quoteAmount: 180,
      notes: ['capped at free cash: 250.00 -> 180.00 USDT (cash 300.00 minus 120.00 reserved by pending buys)'],
    });
  });

  it('applies both caps in turn, equity first', () => {
    // equity 1000 x 30 % = 300, then free cash 500 - 400 = 100
    const verdict = checkEntry(btc(900), state({ cash: 500, equity: 1000, reservedQuote: 400 }), { ...LIMITS, maxPositionPct: 30 });
    expect(verdict).toEqual({
      ok: true,
      quoteAmount: 100,
      notes: [
        'capped at 30% of equity 1000.00: 900.00 -> 300.00 USDT',
        'capped at free cash: 300.00 -> 100.00 USDT (cash 500.00 minus 400.00 reserved by pending buys)',
      ],
    });
  });

  it('refuses with insufficient-cash when reserved cash leaves less than the minimum order', () => {
    // free cash 100 - 95 = 5 < minimum 10, though the 250 asked for is well above it
    expect(checkEntry(btc(250), state({ cash: 100, equity: 1000, reservedQuote: 95 }), LIMITS)).toEqual({
      ok: false,
      denial: {
        code: 'insufficient-cash',
        message: 'entry of 250.00 USDT in BTC/USDT refused: free cash is 5.00 USDT (cash 100.00 minus 95.00 reserved by pending buys), below the minimum order of 10.00 USDT',
      },
    });
  });

  it('refuses with insufficient-cash an "all" stake that found no free cash', () => {
    const verdict = checkEntry(btc(0), state({ cash: 50, equity: 1000, reservedQuote: 50 }), LIMITS);
    expect(verdict.ok === false && verdict.denial.code).toBe('insufficient-cash');
  });

  it('refuses with below-min-notional an amount under the minimum when cash is plentiful', () => {
    expect(checkEntry(btc(8), state({ cash: 1000 }), LIMITS)).toEqual({
      ok: false,
      denial: { code: 'below-min-notional', message: 'entry of 8.00 USDT in BTC/USDT refused: 8.00 USDT is below the minimum order of 10.00 USDT' },
    });
  });

  it('refuses with below-min-notional when the equity cap takes the amount under the minimum', () => {
    // equity 40 x 20 % = 8 < 10; cash 40 is not the limit
    expect(checkEntry(btc(30), state({ cash: 40 }), { ...LIMITS, maxPositionPct: 20 })).toEqual({
      ok: false,
      denial: {
        code: 'below-min-notional',
        message: 'entry of 30.00 USDT in BTC/USDT refused: 8.00 USDT after capping at 20% of equity is below the minimum order of 10.00 USDT',
      },
    });
  });

  it('refuses, with no minimum order, an entry of the float dust a buy of all the cash left', () => {
    const noMinimum = { ...LIMITS, maxPositionPct: 100, minNotional: 0 };
    // A stake of "all" after another symbol's buy took the cash: a few ulps remain of 10000.
    expect(checkEntry(btc(1.8e-12), state({ cash: 1.8e-12, equity: 10_000 }), noMinimum)).toEqual({
      ok: false,
      denial: {
        code: 'insufficient-cash',
        message: 'entry of 0.00 USDT in BTC/USDT refused: free cash is 0.00 USDT (cash 0.00 minus 0.00 reserved by pending buys), too little for an order',
      },
    });
    const verdict = checkEntry(btc(0), state({ cash: 5000, equity: 10_000, reservedQuote: 5000 }), noMinimum);
    expect(verdict.ok === false && verdict.denial.code).toBe('insufficient-cash');
    expect(checkEntry(btc(0.5), state({ cash: 1, equity: 10_000 }), noMinimum)).toEqual({ ok: true, quoteAmount: 0.5, notes: [] });
  });

  it('refuses an amount that is not a number as an invalid order', () => {
    const verdict = checkEntry(btc(NaN), state({}), LIMITS);
    expect(verdict).toEqual({ ok: false, denial: { code: 'invalid-order', message: 'entry of NaN USDT in BTC/USDT refused: the amount must be a number >= 0' } });
  });
});

describe('checkExit', () => {
  it('allows an exit from a held position', () => {
    expect(checkExit('BTC/USDT', state({ positions: [position('BTC/USDT')] }).snapshot)).toEqual({ ok: true });
  });

  it('refuses an exit with no position in the symbol', () => {
    expect(checkExit('BTC/USDT', state({ positions: [position('ETH/USDT')] }).snapshot)).toEqual({
      ok: false,
      denial: { code: 'no-position', message: 'exit of BTC/USDT refused: no position in BTC/USDT is open' },
    });
  });
});
