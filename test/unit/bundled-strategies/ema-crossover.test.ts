import { EMA } from 'trading-signals';
import { candlesFromCloses, checkNoLookAhead, runStrategy, trend } from '../../../src/testkit';
import '../../../src/testkit/jest';
import { resolveParams } from '../../../src/strategy/resolve-params';
import emaCrossover from '../../../strategies/ema-crossover';

/**
 * EMA2 (weight 2/3) and EMA4 (weight 2/5), both seeded with the first close; EMA4 is stable from index 3:
 *   index    3      4      5       6       7       8       9      10
 *   close   10      9      8      12      14      13       9       7
 *   EMA2    10   9.333  8.444  10.815  12.938  12.979  10.327   8.109
 *   EMA4    10   9.600  8.960  10.176  11.706  12.223  10.934   9.360
 * Index 4 crosses below with no position (nothing); 6 crosses above (enter); 9 crosses below (exit).
 */
const CROSSES = [10, 10, 10, 10, 9, 8, 12, 14, 13, 9, 7];
const FAST_SLOW = { fast: 2, slow: 4 };

function firstStableCount(period: number): number {
  const ema = new EMA(period);
  for (let count = 1; count <= 10_000; count++) {
    ema.add(100 + Math.sin(count));
    if (ema.isStable) return count;
  }
  throw new Error(`EMA(${period}) never became stable`);
}

describe('ema-crossover', () => {
  it('has the documented defaults', () => {
    expect(resolveParams(emaCrossover, {})).toEqual({ fast: 12, slow: 26 });
  });

  it.each([2, 4, 26, 200])('warms up for the slow EMA(%d) and the candle before a cross', (slow) => {
    expect(emaCrossover.warmup(resolveParams(emaCrossover, { fast: 1, slow }))).toBe(firstStableCount(slow) + 1);
  });

  it('enters when the fast EMA crosses above the slow one and exits when it crosses below', async () => {
    const run = await runStrategy(emaCrossover, candlesFromCloses(CROSSES), { params: FAST_SLOW, fee: 0 });
    expect(run).toEnterAt(6);
    expect(run).toExitAt(9);
    expect(run).toExitWithReason('EMA2 10.3265 crossed below EMA4 10.934');
    expect(run.signals.map((s) => `${s.action}@${s.index}`)).toEqual(['enter@6', 'exit@9']);
    expect(run.signals[0]!.reason).toBe('EMA2 10.8148 crossed above EMA4 10.176');
    expect(run.trades[0]).toMatchObject({ entryPrice: 12, exitPrice: 9 });
  });

  it('never enters in a steady fall', async () => {
    const falling = trend({ seed: 5, length: 400, drift: -0.01, volatility: 0.002 });
    expect(await runStrategy(emaCrossover, falling)).toNeverEnter();
    expect(await runStrategy(emaCrossover, falling, { params: FAST_SLOW })).toNeverEnter();
  });

  it('refuses slow <= fast and out-of-bounds lengths with a sentence naming the strategy and the parameter', async () => {
    const candles = candlesFromCloses(CROSSES);
    await expect(runStrategy(emaCrossover, candles, { params: { fast: 4, slow: 4 } })).rejects.toThrow(
      'strategy "ema-crossover" refuses these parameters: slow (4) must be greater than fast (4).',
    );
    await expect(runStrategy(emaCrossover, candles, { params: { fast: 0 } })).rejects.toThrow(
      'strategy "ema-crossover" parameter "fast" must be between 1 and 1000, got 0.',
    );
    expect(() => resolveParams(emaCrossover, { slow: 2.5 })).toThrow('strategy "ema-crossover" parameter "slow" must be an integer, got 2.5.');
  });

  it('decides on each candle from that candle and the ones before only', () => {
    const candles = trend({ seed: 7, length: 600, drift: 0.0003, volatility: 0.01 });
    expect(checkNoLookAhead(emaCrossover, candles)).toHaveNoLookAhead();
    expect(checkNoLookAhead(emaCrossover, candles, { params: { fast: 3, slow: 8 } })).toHaveNoLookAhead();
  });

  it('trades on a noisy trend (the look-ahead check is not vacuous)', async () => {
    const run = await runStrategy(emaCrossover, trend({ seed: 7, length: 600, drift: 0.0003, volatility: 0.01 }));
    expect(run.summary.trades).toBeGreaterThan(3);
  });
});
