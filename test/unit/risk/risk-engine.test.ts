import { RiskEngine, type BookView, type RiskSettings } from '../../../src/risk/risk-engine';
import { positionView, snapshotOf } from '../../helpers/books';

const SETTINGS: RiskSettings = { stake: '10%', maxOpenPositions: 2, maxPositionPct: 50, minNotional: 10 };

function view(cash: number, positions = [positionView('ETH/USDT', 10, 100)], pendingEntries: string[] = [], reservedQuote = 0): BookView {
  return { snapshot: snapshotOf(cash, positions), pendingEntries, reservedQuote };
}

describe('RiskEngine entries', () => {
  it('sizes an entry from the stake on the equity, times the signal size', () => {
    const risk = new RiskEngine(SETTINGS);
    // Equity 9 000 + 10 x 100 = 10 000: 10 % is 1 000, half of it 500.
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000))).toEqual({ ok: true, quoteAmount: 1_000 });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT', size: 0.5 }, view(9_000))).toEqual({ ok: true, quoteAmount: 500 });
  });

  it('stakes all free cash: cash minus what pending buys reserve', () => {
    const risk = new RiskEngine({ ...SETTINGS, stake: 'all', maxPositionPct: 100, maxOpenPositions: 3 });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(1_000, [], ['SOL/USDT'], 400))).toEqual({ ok: true, quoteAmount: 600 });
  });

  it('refuses through the risk gate, saying what the stake asked for', () => {
    const risk = new RiskEngine(SETTINGS);
    const review = risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000, [positionView('ETH/USDT', 10, 100)], ['SOL/USDT']));
    expect(review).toEqual({
      ok: false,
      quoteAmount: 1_000,
      denial: { code: 'max-open-positions', message: 'entry of 1000.00 USDT in BTC/USDT refused: 1 position open and 1 pending, the limit is 2' },
    });
  });

  it('refuses entries in a symbol while its data is stale, and takes them again once it resumes', () => {
    const risk = new RiskEngine(SETTINGS);
    risk.marketStale(['BTC/USDT', 'SOL/USDT']);
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000))).toEqual({
      ok: false,
      denial: { code: 'stale-data', message: 'entry in BTC/USDT refused: its market data is stale, so its last price may be old' },
    });
    risk.marketResumed(['BTC/USDT']);
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000)).ok).toBe(true);
    expect(risk.reviewEntry({ symbol: 'SOL/USDT' }, view(9_000)).ok).toBe(false);
  });

  it('applies new settings: a reloaded stake sizes the next entry', () => {
    const risk = new RiskEngine(SETTINGS);
    risk.configure({ ...SETTINGS, stake: '250' });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000))).toEqual({ ok: true, quoteAmount: 250 });
  });
});

describe('RiskEngine exits', () => {
  const books = snapshotOf(9_000, [positionView('ETH/USDT', 10, 100)]);

  it('sells the whole position, or a reduce its fraction of it', () => {
    const risk = new RiskEngine(SETTINGS);
    expect(risk.reviewExit({ symbol: 'ETH/USDT', exitPending: false }, books)).toEqual({ ok: true, qty: 10 });
    expect(risk.reviewExit({ symbol: 'ETH/USDT', exitPending: false, fraction: 0.25 }, books)).toEqual({ ok: true, qty: 2.5 });
  });

  it('refuses a second exit while one is pending, before looking at the position', () => {
    const risk = new RiskEngine(SETTINGS);
    expect(risk.reviewExit({ symbol: 'BTC/USDT', exitPending: true }, books)).toEqual({
      ok: false,
      denial: { code: 'exit-pending', message: 'exit of BTC/USDT refused: an exit order is already pending' },
    });
  });

  it('refuses an exit with nothing to sell', () => {
    const risk = new RiskEngine(SETTINGS);
    expect(risk.reviewExit({ symbol: 'BTC/USDT', exitPending: false }, books)).toEqual({
      ok: false,
      denial: { code: 'no-position', message: 'exit of BTC/USDT refused: no position in BTC/USDT is open' },
    });
  });
});

describe('RiskEngine trading states', () => {
  it('takes exits only while reducing, nothing while halted, everything once active again', () => {
    const risk = new RiskEngine(SETTINGS);
    const books = view(9_000);
    expect(risk.tradingState).toBe('active');
    expect(risk.setTradingState('reducing', 'daily loss limit of 3 % reached')).toBe(true);
    expect(risk.setTradingState('reducing', 'again')).toBe(false);
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, books)).toEqual({
      ok: false,
      denial: { code: 'trading-reducing', message: 'entry in BTC/USDT refused: trading is reducing (daily loss limit of 3 % reached)' },
    });
    expect(risk.reviewExit({ symbol: 'ETH/USDT', exitPending: false }, books.snapshot)).toEqual({ ok: true, qty: 10 });

    risk.setTradingState('halted', 'kill switch');
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, books)).toMatchObject({ ok: false, denial: { code: 'trading-halted' } });
    expect(risk.reviewExit({ symbol: 'ETH/USDT', exitPending: false }, books.snapshot)).toEqual({
      ok: false,
      denial: { code: 'trading-halted', message: 'exit of ETH/USDT refused: trading is halted (kill switch)' },
    });

    risk.setTradingState('active', 'cleared by hand');
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, books).ok).toBe(true);
  });
});
