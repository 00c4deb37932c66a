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
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), 0)).toEqual({ ok: true, quoteAmount: 1_000 });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT', size: 0.5 }, view(9_000), 0)).toEqual({ ok: true, quoteAmount: 500 });
  });

  it('stakes all free cash: cash minus what pending buys reserve', () => {
    const risk = new RiskEngine({ ...SETTINGS, stake: 'all', maxPositionPct: 100, maxOpenPositions: 3 });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(1_000, [], ['SOL/USDT'], 400), 0)).toEqual({ ok: true, quoteAmount: 600 });
  });

  it('refuses through the risk gate, saying what the stake asked for', () => {
    const risk = new RiskEngine(SETTINGS);
    const review = risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000, [positionView('ETH/USDT', 10, 100)], ['SOL/USDT']), 0);
    expect(review).toEqual({
      ok: false,
      quoteAmount: 1_000,
      denial: { code: 'max-open-positions', message: 'entry of 1000.00 USDT in BTC/USDT refused: 1 position open and 1 pending, the limit is 2' },
    });
  });

  it('refuses entries in a symbol while its data is stale, and takes them again once it resumes', () => {
    const risk = new RiskEngine(SETTINGS);
    risk.marketStale(['BTC/USDT', 'SOL/USDT']);
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), 0)).toEqual({
      ok: false,
      denial: { code: 'stale-data', message: 'entry in BTC/USDT refused: its market data is stale, so its last price may be old' },
    });
    risk.marketResumed(['BTC/USDT']);
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), 0).ok).toBe(true);
    expect(risk.reviewEntry({ symbol: 'SOL/USDT' }, view(9_000), 0).ok).toBe(false);
  });

  it('applies new settings: a reloaded stake sizes the next entry', () => {
    const risk = new RiskEngine(SETTINGS);
    risk.configure({ ...SETTINGS, stake: '250' }, 0);
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), 0)).toEqual({ ok: true, quoteAmount: 250 });
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
  const DAY = 86_400_000;
  const PROTECTED: RiskSettings = {
    ...SETTINGS,
    protections: { maxDrawdownPct: 0, dailyLossPct: 3, stoplossGuard: { count: 0, windowMin: 60, pauseMin: 60 }, cooldownAfterLossMin: 0 },
  };

  it('takes exits only while reducing, nothing while halted, everything once active again', () => {
    const risk = new RiskEngine(PROTECTED);
    const books = view(9_000);
    expect(risk.tradingState).toBe('active');
    expect(risk.protections.equity(10_000, DAY + 1_000)).toBeUndefined();
    // 10,000 -> 9,700 is 3.0 % down on the day: the limit.
    expect(risk.protections.equity(9_700, DAY + 2_000)).toMatchObject({ state: 'reducing', previous: 'active', protection: 'daily-loss' });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, books, DAY + 2_000)).toEqual({
      ok: false,
      denial: {
        code: 'trading-reducing',
        message:
          'entry in BTC/USDT refused: trading is reducing (equity 9,700.00 is 3.0 % below 10,000.00 at the start of the UTC day 1970-01-02 (limit 3 %); entries resume at 1970-01-03)',
      },
    });
    expect(risk.reviewExit({ symbol: 'ETH/USDT', exitPending: false }, books.snapshot)).toEqual({ ok: true, qty: 10 });

    expect(risk.protections.setKillSwitch(true, 'halt.flag', DAY + 3_000)).toMatchObject({ state: 'halted', previous: 'reducing', protection: 'kill-switch' });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, books, DAY + 3_000)).toMatchObject({ ok: false, denial: { code: 'trading-halted' } });
    expect(risk.reviewExit({ symbol: 'ETH/USDT', exitPending: false }, books.snapshot)).toEqual({
      ok: false,
      denial: { code: 'trading-halted', message: 'exit of ETH/USDT refused: trading is halted (the kill switch is on (halt.flag exists))' },
    });
    // The risk rules' own exits (the kill switch's) go in every state.
    expect(risk.reviewExit({ symbol: 'ETH/USDT', exitPending: false }, books.snapshot, true)).toEqual({ ok: true, qty: 10 });

    // The switch lets go, the day's loss still holds: back to reducing, not to active.
    expect(risk.protections.setKillSwitch(false, 'halt.flag', DAY + 4_000)).toMatchObject({ state: 'reducing', previous: 'halted', protection: 'daily-loss' });
    expect(risk.protections.tick(2 * DAY - 1)).toBeUndefined();
    expect(risk.protections.tick(2 * DAY)).toMatchObject({ state: 'active', previous: 'reducing', protection: 'daily-loss' });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, books, 2 * DAY).ok).toBe(true);
  });
});

describe('RiskEngine protections on entries', () => {
  const OFF = { maxDrawdownPct: 0, dailyLossPct: 0, stoplossGuard: { count: 0, windowMin: 60, pauseMin: 60 }, cooldownAfterLossMin: 0 };
  const T0 = 1_704_067_200_000;

  it('refuses an entry in a symbol cooling down after a loss as risk-cooldown, and takes it once the cooldown ended', () => {
    const risk = new RiskEngine({ ...SETTINGS, protections: { ...OFF, cooldownAfterLossMin: 15 } });
    risk.protections.closed({ symbol: 'BTC/USDT', entryTime: 0, exitTime: T0, side: 'long', qty: 1, entryPrice: 100, exitPrice: 90, fees: 0, pnl: -10, pnlPct: -10, exitReason: 'signal' });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), T0 + 60_000)).toMatchObject({ ok: false, denial: { code: 'risk-cooldown' } });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), T0 + 15 * 60_000)).toEqual({ ok: true, quoteAmount: 1_000 });
  });

  it('cuts an entry to the exposure room left and refuses it as max-exposure when the room is below the minimum order', () => {
    // Equity 10,000 with ETH worth 1,000: under 15 %, 500 remain; under 10.05 %, 5 (below the minimum of 10).
    const risk = new RiskEngine({ ...SETTINGS, exposure: { totalPct: 15, assetPct: 0 } });
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), 0)).toEqual({ ok: true, quoteAmount: 500 });
    risk.configure({ ...SETTINGS, exposure: { totalPct: 10.05, assetPct: 0 } }, 0);
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), 0)).toMatchObject({ ok: false, denial: { code: 'max-exposure' }, quoteAmount: 1_000 });
    risk.configure(SETTINGS, 0);
    expect(risk.reviewEntry({ symbol: 'BTC/USDT' }, view(9_000), 0)).toEqual({ ok: true, quoteAmount: 1_000 });
  });
});
