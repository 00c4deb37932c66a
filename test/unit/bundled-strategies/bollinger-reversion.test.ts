import { candlesFromCloses, checkNoLookAhead, range, runStrategy } from '../../../src/testkit';
import '../../../src/testkit/jest';
import { resolveParams } from '../../../src/strategy/resolve-params';
import bollingerReversion from '../../../strategies/bollinger-reversion';

/**
 * 20 closes at 100 (bands collapsed on 100), then (bands of 20, 2 population deviations):
 *   index  close  lower    middle  upper
 *   20     95     97.571   99.75   101.929   below the lower band
 *   21     99     97.5     99.7    101.9     back inside: enter
 *   22     100    97.5     99.7    101.9     at or above the middle: exit (exitAt "middle")
 *   23     100    97.5     99.7    101.9
 *   24     101    97.481   99.75   102.019
 *   25     102    97.378   99.85   102.322
 *   26     103    97.172   100     102.828   at or above the upper band: exit (exitAt "upper")
 */
const DIP_AND_BACK = [...Array<number>(20).fill(100), 95, 99, 100, 100, 101, 102, 103, 104, 100];

/** 20 closes at 100, then falls by 0.5, 1, 1.5 ... 7.5: each close further below its own lower band. */
const ACCELERATING_FALL = [...Array<number>(20).fill(100), ...Array.from({ length: 15 }, (_, k) => 100 - (0.5 * (k + 1) * (k + 2)) / 2)];

describe('bollinger-reversion', () => {
  it('has the documented defaults and warms up one candle longer than its bands', () => {
    const params = resolveParams(bollingerReversion, {});
    expect(params).toEqual({ period: 20, stdDev: 2, exitAt: 'middle' });
    expect(bollingerReversion.warmup(params)).toBe(21);
    expect(bollingerReversion.warmup(resolveParams(bollingerReversion, { period: 5 }))).toBe(6);
  });

  it('enters when the close comes back inside the lower band and exits at the middle band', async () => {
    const run = await runStrategy(bollingerReversion, candlesFromCloses(DIP_AND_BACK), { fee: 0 });
    expect(run).not.toEnterAt(20); // below the band: the fall may go on
    expect(run).toEnterAt(21);
    expect(run).toExitAt(22);
    expect(run).toExitWithReason('close 100 reached the middle band 99.7');
    expect(run).toHaveTraded(1);
    // Decided at 21's close (99), filled at 22's open, which is that close; sold at 23's open (100).
    expect(run.trades[0]).toMatchObject({ entryPrice: 99, exitPrice: 100, exitReason: 'signal' });
  });

  it('holds on to the upper band when exitAt is "upper"', async () => {
    const run = await runStrategy(bollingerReversion, candlesFromCloses(DIP_AND_BACK), { params: { exitAt: 'upper' }, fee: 0 });
    expect(run).toEnterAt(21);
    expect(run).not.toExitAt(22);
    expect(run).toExitAt(26);
    expect(run).toExitWithReason(/close 103 reached the upper band 102\.828/);
  });

  it('never enters while every close stays below the band, nor in a steady fall that stays inside it', async () => {
    expect(await runStrategy(bollingerReversion, candlesFromCloses(ACCELERATING_FALL))).toNeverEnter();
    // A straight-line fall sits about 1.7 deviations below its 20-close mean: inside 2-deviation bands.
    const linear = Array.from({ length: 80 }, (_, i) => 200 - i);
    expect(await runStrategy(bollingerReversion, candlesFromCloses(linear))).toNeverEnter();
  });

  it('uses stdDev for the band width', async () => {
    // At 3 deviations the lower band of candle 20 is 96.48: the close of 95 is still below it, and 99 is back
    // above; at 4.5 deviations (94.85) the dip never leaves the band.
    expect(await runStrategy(bollingerReversion, candlesFromCloses(DIP_AND_BACK), { params: { stdDev: 3 } })).toEnterAt(21);
    expect(await runStrategy(bollingerReversion, candlesFromCloses(DIP_AND_BACK), { params: { stdDev: 4.5 } })).toNeverEnter();
  });

  it('refuses parameters out of bounds with a sentence naming the strategy and the parameter', async () => {
    const candles = candlesFromCloses(DIP_AND_BACK);
    await expect(runStrategy(bollingerReversion, candles, { params: { period: 1 } })).rejects.toThrow(
      'strategy "bollinger-reversion" parameter "period" must be between 2 and 500, got 1.',
    );
    await expect(runStrategy(bollingerReversion, candles, { params: { stdDev: 0 } })).rejects.toThrow(
      'strategy "bollinger-reversion" parameter "stdDev" must be between 0.5 and 5, got 0.',
    );
    await expect(runStrategy(bollingerReversion, candles, { params: { exitAt: 'lower' } })).rejects.toThrow(
      'strategy "bollinger-reversion" parameter "exitAt" must be one of "middle", "upper", got the string "lower".',
    );
    expect(() => resolveParams(bollingerReversion, { period: 20.5 })).toThrow('strategy "bollinger-reversion" parameter "period" must be an integer, got 20.5.');
  });

  it('decides on each candle from that candle and the ones before only', () => {
    const candles = range({ seed: 11, length: 600, volatility: 0.01 });
    expect(checkNoLookAhead(bollingerReversion, candles)).toHaveNoLookAhead();
    expect(checkNoLookAhead(bollingerReversion, candles, { params: { period: 10, stdDev: 1.5, exitAt: 'upper' } })).toHaveNoLookAhead();
  });

  it('trades in a sideways market (the look-ahead check is not vacuous)', async () => {
    const run = await runStrategy(bollingerReversion, range({ seed: 11, length: 600, volatility: 0.01 }));
    expect(run.summary.trades).toBeGreaterThan(3);
  });
});
