import { fitBuys, planLegs, targetQuantities } from '../../../src/portfolio/rebalance';
import { checkRebalanceAssets, checkRebalanceSettings, durationMs } from '../../../src/portfolio/rebalance-settings';
import { HOUR, rebalanceRig, T0 } from './rebalance-rig';

const TARGETS = { BTC: 50, ETH: 30, USDT: 20 };
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];

describe('rebalance plan (portfolio/rebalance.ts)', () => {
  it('gives the target quantities of an equity at a price map', () => {
    expect(targetQuantities(10_000, [100, 50], [50, 30])).toEqual([50, 60]);
  });

  it('sells what is over its target by quantity and buys what is under by quote amount (the README example)', () => {
    // BTC 0.1 at 60,000 = 6,000 (60 %), ETH 1 at 2,000 = 2,000 (20 %), cash 2,000 (20 %): equity 10,000.
    const { sells, buys } = planLegs(
      10_000,
      [
        { symbol: 'BTC/USDT', qty: 0.1, price: 60_000, targetPct: 50 },
        { symbol: 'ETH/USDT', qty: 1, price: 2_000, targetPct: 30 },
      ],
      10,
    );
    expect(sells).toHaveLength(1);
    expect(sells[0]!.symbol).toBe('BTC/USDT');
    expect(sells[0]!.qty).toBeCloseTo(1 / 60, 12);
    expect(sells[0]!.quote).toBeCloseTo(1_000, 9);
    expect(sells[0]!.weightBeforePct).toBeCloseTo(60, 12);
    expect(buys).toEqual([{ symbol: 'ETH/USDT', quoteAmount: 1_000, price: 2_000, weightBeforePct: 20, targetPct: 30 }]);
  });

  it('leaves out a leg below minTradeQuote and sells all of an asset whose target is 0', () => {
    const { sells, buys } = planLegs(
      10_000,
      [
        { symbol: 'BTC/USDT', qty: 0.0834, price: 60_000, targetPct: 50 }, // 5,004: 4 over
        { symbol: 'ETH/USDT', qty: 0.3, price: 2_000, targetPct: 0 },
      ],
      10,
    );
    expect(buys).toEqual([]);
    expect(sells.map((s) => [s.symbol, s.qty])).toEqual([['ETH/USDT', 0.3]]);
  });

  it('cuts the buys to the cash there is, together, then drops those below minTradeQuote', () => {
    const buy = (symbol: string, quoteAmount: number) => ({ symbol, quoteAmount, price: 1, weightBeforePct: 0, targetPct: 50 });
    expect(fitBuys([buy('A/USDT', 600), buy('B/USDT', 400)], 2_000, 10).map((b) => b.quoteAmount)).toEqual([600, 400]);
    expect(fitBuys([buy('A/USDT', 600), buy('B/USDT', 400)], 500, 10).map((b) => b.quoteAmount)).toEqual([300, 200]);
    expect(fitBuys([buy('A/USDT', 600), buy('B/USDT', 400)], 500, 250).map((b) => b.quoteAmount)).toEqual([300]);
    expect(fitBuys([buy('A/USDT', 600)], -5, 0)).toEqual([]);
  });
});

describe('rebalance trigger and placement', () => {
  it('buys into the targets at the first close, then rebalances when a weight is past the threshold (hand-computed)', () => {
    const rig = rebalanceRig({ targets: TARGETS, thresholdPct: 5, every: null, minTradeQuote: 10 }, SYMBOLS);
    rig.period(0, [[100, 100], [50, 50]]);
    // Start: buys of 5,000 BTC and 3,000 ETH, decided at the closes, filled at the next opens.
    expect(rig.trigger.isPending).toBe(true);
    rig.period(1, [[100, 104], [50, 50]]);
    expect(rig.fills.map((f) => [f.symbol, f.side, f.qty, f.price])).toEqual([['BTC/USDT', 'buy', 50, 100], ['ETH/USDT', 'buy', 60, 50]]);
    // At 104: BTC 5,200 of 10,200 is 50.98 %: within 5 points.
    expect(rig.done).toHaveLength(1);
    expect(rig.trigger.isPending).toBe(false);
    rig.period(2, [[104, 125], [50, 50]]);
    // At 125: BTC 6,250 of 11,250 is 55.56 %: 5.56 points over. Target 5,625: sell 5 BTC; ETH 3,375: buy 375.
    rig.period(3, [[125, 125], [50, 50]]);
    expect(rig.fills.slice(2).map((f) => [f.symbol, f.side, f.qty, f.price])).toEqual([['BTC/USDT', 'sell', 5, 125], ['ETH/USDT', 'buy', 7.5, 50]]);
    expect(rig.done[1]!.reason).toBe('threshold');
    expect(rig.done[1]!.legs.map((l) => [l.asset, l.weightBeforePct.toFixed(4), l.weightAfterPct.toFixed(4)])).toEqual([
      ['BTC', '55.5556', '50.0000'],
      ['ETH', '26.6667', '30.0000'],
    ]);
    expect(rig.books.ledger.cash()).toBeCloseTo(2_250, 9);
  });

  it('finishes a rebalance whose orders were out at a restart, and waits for it before planning another', () => {
    const settings = { targets: TARGETS, thresholdPct: 5, every: null, minTradeQuote: 10 };
    const rig = rebalanceRig(settings, SYMBOLS);
    rig.period(0, [[100, 100], [50, 50]]);
    rig.period(1, [[100, 104], [50, 50]]);
    rig.period(2, [[104, 125], [50, 50]]);
    // The threshold rebalance of period 2 is out (sell 5 BTC, then buy 375 of ETH): the bot stops here.
    const saved = rig.state();
    expect(saved.trigger).toEqual({ lastAt: T0 + 2 * HOUR, pending: true });
    expect(saved.trade.rebalance?.sellsOut).toHaveLength(1);
    const resumed = rebalanceRig(settings, SYMBOLS, undefined, undefined, saved);
    for (const r of [rig, resumed]) r.period(3, [[125, 125], [50, 50]]);
    expect(resumed.fills.map((f) => [f.symbol, f.side, f.qty, f.price])).toEqual([['BTC/USDT', 'sell', 5, 125], ['ETH/USDT', 'buy', 7.5, 50]]);
    expect(resumed.done).toEqual([rig.done[1]]);
    expect(resumed.trigger.isPending).toBe(false);
    expect(resumed.books.toState()).toEqual(rig.books.toState());
  });

  it('rebalances every "1d" on hourly candles, counted from the first period, whatever the weights', () => {
    const rig = rebalanceRig({ targets: TARGETS, thresholdPct: 100, every: '1d', minTradeQuote: 0 }, SYMBOLS);
    for (let i = 0; i < 50; i++) rig.period(i, [[100 + i, 101 + i], [50, 50 - i / 10]]);
    // Decided at periods 0, 24 and 48 (each filled at the next open); never in between.
    expect(rig.done.map((d) => (d.time - T0) / HOUR)).toEqual([0, 24, 48]);
    expect(rig.done.map((d) => d.reason)).toEqual(['start', 'every', 'every']);
  });

  it('fills the sells before the buys at the same open, whatever the symbols\' order, and never spends cash it lacks', () => {
    // ETH first in the candles, BTC bought with what ETH's sale brings: the account holds no cash at all.
    const rig = rebalanceRig({ targets: { ETH: 50, BTC: 50, USDT: 0 }, thresholdPct: 5, minTradeQuote: 1 }, ['BTC/USDT', 'ETH/USDT'], { fee: 0.001, slippageBps: 10 });
    rig.period(0, [[100, 100], [50, 50]]);
    rig.period(1, [[100, 100], [50, 80]]);
    rig.period(2, [[100, 100], [80, 80]]);
    const second = rig.fills.slice(2);
    expect(second.map((f) => [f.symbol, f.side])).toEqual([['ETH/USDT', 'sell'], ['BTC/USDT', 'buy']]);
    expect(second.every((f) => f.time === T0 + 2 * HOUR)).toBe(true);
    expect(rig.books.ledger.cash()).toBeGreaterThanOrEqual(-1e-9);
    expect(rig.books.ledger.cash()).toBeLessThan(1e-6);
  });

  it('places nothing while trading is halted, and the next period may plan again', () => {
    const rig = rebalanceRig({ targets: TARGETS, thresholdPct: 5 }, SYMBOLS);
    rig.risk.protections.setKillSwitch(true, 'test', T0);
    rig.period(0, [[100, 100], [50, 50]]);
    expect(rig.done).toEqual([{ time: T0, reason: 'start', legs: [], traded: 0 }]);
    expect(rig.trigger.isPending).toBe(false);
  });
});

describe('portfolio.rebalance settings', () => {
  it.each([
    [{ targets: { BTC: 50 } }, '.targets', 'must be an object of at least two assets'],
    [{ targets: { BTC: 50, USDT: 40 } }, '.targets', 'must add up to 100, and they add up to 90'],
    [{ targets: { BTC: 150, USDT: -50 } }, '.targets.BTC', 'must be a number from 0 to 100'],
    [{ targets: { btc: 50, USDT: 50 } }, '.targets.btc', 'must be an asset like'],
    [{ targets: { BTC: 50, USDT: 50 }, thresholdPct: 0 }, '.thresholdPct', 'greater than 0'],
    [{ targets: { BTC: 50, USDT: 50 }, every: '1 day' }, '.every', 'must be null or a duration'],
    [{ targets: { BTC: 50, USDT: 50 }, minTradeQuote: -1 }, '.minTradeQuote', 'of 0 or more'],
    [{ targets: { BTC: 50, USDT: 50 }, every: '1d', each: 1 }, '.each', 'is not a key of a rebalance'],
  ])('refuses %j at %s', (value, path, message) => {
    expect(() => checkRebalanceSettings(value)).toThrow(expect.objectContaining({ path, message: expect.stringContaining(message) }));
  });

  it('takes null and a full object, and reads durations in market time', () => {
    expect(() => checkRebalanceSettings(null)).not.toThrow();
    expect(() => checkRebalanceSettings({ targets: TARGETS, thresholdPct: 5, every: '7d', minTradeQuote: 10 })).not.toThrow();
    expect([durationMs('1h'), durationMs('1d'), durationMs('7d'), durationMs('2w'), durationMs('0d')]).toEqual([HOUR, 24 * HOUR, 168 * HOUR, 336 * HOUR, undefined]);
  });

  it('wants the targets to be exactly the symbols\' base assets and the quote currency', () => {
    expect(() => checkRebalanceAssets({ targets: TARGETS }, SYMBOLS, 'USDT')).not.toThrow();
    expect(() => checkRebalanceAssets({ targets: { BTC: 80, USDT: 20 } }, SYMBOLS, 'USDT')).toThrow(
      'portfolio.rebalance.targets leaves out ETH: it must give a weight to exactly BTC, ETH, USDT',
    );
  });
});
