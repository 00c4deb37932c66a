import { ATR } from 'trading-signals';
import { candlesFromCloses, checkNoLookAhead, runStrategy, trend } from '../../../src/testkit';
import '../../../src/testkit/jest';
import { resolveParams } from '../../../src/strategy/resolve-params';
import donchianAtr from '../../../strategies/donchian-atr';

const SMALL = { entryPeriod: 3, exitPeriod: 2, atrPeriod: 3, atrMultiplier: 2 };

/**
 * No wicks: each candle opens at the previous close, so its high and low are those two closes.
 *   index   0    1    2    3    4    5    6    7
 *   close 100  101  100  101  100  103  104   99
 *   high  100  101  101  101  101  103  104  104
 *   low   100  100  100  100  100  100  103   99
 * Index 3 closes at 101, equal to the previous three highs (not above): nothing. Index 5 closes at 103 above
 * the previous three highs (101): enter. True ranges 0, 1, 1, 1, 1, 3; ATR(3), Wilder: 2/3 at index 2,
 * then 7/9, 23/27, and 127/81 at index 5, so the entry's stop is 2 x 127/81 below 103 (3.0445 %). Candle 7
 * trades down to 99, through the stop at 103 - 254/81 = 99.864.
 */
const BREAKOUT_THEN_STOP = [100, 101, 100, 101, 100, 103, 104, 99];
/** The same breakout, then a close (99 at index 8) below the previous two lows (103, 102.5). */
const BREAKOUT_THEN_CHANNEL_EXIT = [100, 101, 100, 101, 100, 103, 104, 102.5, 99, 100];

function atrFirstStable(period: number): number {
  const atr = new ATR(period);
  for (let count = 1; count <= 10_000; count++) {
    const close = 100 + Math.sin(count);
    atr.add({ high: close + 1, low: close - 1, close });
    if (atr.isStable) return count;
  }
  throw new Error(`ATR(${period}) never became stable`);
}

describe('donchian-atr', () => {
  it('has the documented defaults, and its warm-up and history cover its channels and ATR', () => {
    const defaults = resolveParams(donchianAtr, {});
    expect(defaults).toEqual({ entryPeriod: 20, exitPeriod: 10, atrPeriod: 14, atrMultiplier: 2 });
    expect(donchianAtr.warmup(defaults)).toBe(21);
    expect(donchianAtr.historyLength?.(defaults)).toBe(21);
    const longAtr = resolveParams(donchianAtr, { entryPeriod: 5, exitPeriod: 30, atrPeriod: 40 });
    expect(donchianAtr.warmup(longAtr)).toBe(Math.max(31, atrFirstStable(40)));
    expect(donchianAtr.historyLength?.(longAtr)).toBe(31);
  });

  it('enters on a close above the previous N highs, with a stop of k ATRs that the engine applies', async () => {
    const run = await runStrategy(donchianAtr, candlesFromCloses(BREAKOUT_THEN_STOP), { params: SMALL, fee: 0 });
    expect(run).not.toEnterAt(3);
    expect(run).toEnterAt(5);
    const stopDistance = 2 * (127 / 81);
    expect(run.signals[0]!.stopLossPct).toBeCloseTo((stopDistance / 103) * 100, 10);
    expect(run.signals[0]!.reason).toBe('close 103 above the 3-candle high 101 (stop 3.04447 %: 2 x ATR 1.5679)');
    // Filled at candle 6's open (103); candle 7's low of 99 goes through the stop.
    expect(run).toExitAt(7);
    expect(run).toExitWithReason('stop-loss');
    expect(run.trades[0]!.entryPrice).toBe(103);
    expect(run.trades[0]!.exitPrice).toBeCloseTo(103 - stopDistance, 9);
  });

  it('exits on a close below the previous M lows', async () => {
    // 10 ATRs put the stop 15 % away, out of the way of the channel exit.
    const run = await runStrategy(donchianAtr, candlesFromCloses(BREAKOUT_THEN_CHANNEL_EXIT), { params: { ...SMALL, atrMultiplier: 10 }, fee: 0 });
    expect(run).toEnterAt(5);
    expect(run).not.toExitAt(7); // 102.5 is above the lows of candles 5 and 6 (100, 103)
    expect(run).toExitAt(8);
    expect(run).toExitWithReason('close 99 below the 2-candle low 102.5');
    expect(run.trades[0]).toMatchObject({ entryPrice: 103, exitPrice: 99, exitReason: 'signal' });
  });

  it('gives each entry a stop sized by the ATR of its own candle', async () => {
    // The same breakout with every move five times as large: the ATR and the stop distance are five times
    // as large too, and the stop in percent of the (similar) price is about five times wider.
    const wild = BREAKOUT_THEN_STOP.map((close) => 100 + (close - 100) * 5);
    const calm = await runStrategy(donchianAtr, candlesFromCloses(BREAKOUT_THEN_STOP), { params: SMALL });
    const wide = await runStrategy(donchianAtr, candlesFromCloses(wild), { params: SMALL });
    expect(wide).toEnterAt(5);
    expect(wide.signals[0]!.stopLossPct).toBeCloseTo(((5 * 2 * 127) / 81 / 115) * 100, 10);
    expect(wide.signals[0]!.stopLossPct! / calm.signals[0]!.stopLossPct!).toBeGreaterThan(4);
  });

  it('never enters in a steady fall', async () => {
    const falling = trend({ seed: 2, length: 400, drift: -0.005, volatility: 0.002 });
    expect(await runStrategy(donchianAtr, falling)).toNeverEnter();
    expect(await runStrategy(donchianAtr, falling, { params: SMALL })).toNeverEnter();
  });

  it('refuses parameters out of bounds with a sentence naming the strategy and the parameter', async () => {
    const candles = candlesFromCloses(BREAKOUT_THEN_STOP);
    await expect(runStrategy(donchianAtr, candles, { params: { entryPeriod: 0 } })).rejects.toThrow(
      'strategy "donchian-atr" parameter "entryPeriod" must be between 1 and 1000, got 0.',
    );
    await expect(runStrategy(donchianAtr, candles, { params: { atrMultiplier: 0 } })).rejects.toThrow(
      'strategy "donchian-atr" parameter "atrMultiplier" must be between 0.1 and 20, got 0.',
    );
    expect(() => resolveParams(donchianAtr, { atrPeriod: 14.5 })).toThrow('strategy "donchian-atr" parameter "atrPeriod" must be an integer, got 14.5.');
  });

  it('decides on each candle from that candle and the ones before only', () => {
    const candles = trend({ seed: 9, length: 600, drift: 0.0005, volatility: 0.01 });
    expect(checkNoLookAhead(donchianAtr, candles)).toHaveNoLookAhead();
    expect(checkNoLookAhead(donchianAtr, candles, { params: SMALL })).toHaveNoLookAhead();
  });

  it('trades on a noisy trend, stops included (the look-ahead check is not vacuous)', async () => {
    const run = await runStrategy(donchianAtr, trend({ seed: 9, length: 600, drift: 0.0005, volatility: 0.01 }));
    expect(run.summary.trades).toBeGreaterThan(3);
    expect(run.trades.some((t) => t.exitReason === 'stop-loss')).toBe(true);
  });
});
