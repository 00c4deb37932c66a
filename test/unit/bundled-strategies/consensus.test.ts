import { candlesFromCloses, checkNoLookAhead, range, runStrategy, trend } from '../../../src/testkit';
import '../../../src/testkit/jest';
import { resolveParams } from '../../../src/strategy/resolve-params';
import consensus from '../../../strategies/consensus';

/** Short indicators so the votes can be followed by hand; warm-up max(3, 3 + 2 - 1, 3) + 1 = 5 candles. */
const SHORT = { rsiPeriod: 2, macdFast: 2, macdSlow: 3, macdSignal: 2, emaPeriod: 3 };

/**
 * Down by 1 from 20 to 13, up to 20, down again (RSI(2), MACD(2, 3, 2), EMA(3)):
 *   index   close  RSI    histogram  EMA3     votes (RSI, MACD, trend)
 *   4..7   16..13  0      < 0        > close  bear, bear, bear
 *   8      14      50     +0.108     13.996   abstain, bull, bull  -> 2 bullish: enter (minVotes 2)
 *   9      15      75     +0.128     14.498   bull, bull, bull     -> 3 bullish: enter (minVotes 3)
 *   10..14 16..20  > 87   > 0        < close  bull, bull, bull
 *   15     19      49.6   -0.104     19.008   bear, bear, bear     -> exit
 * On candle 8 one gain of 1 after losses of 1 leaves Wilder's average gain and loss both at 0.5: RSI is
 * exactly 50, and abstains.
 */
const V_AND_BACK = [20, 19, 18, 17, 16, 15, 14, 13, 14, 15, 16, 17, 18, 19, 20, 19, 18, 17, 16, 15, 14];

describe('consensus', () => {
  it('has the documented defaults, and warms up for its slowest voter and one candle more', () => {
    const defaults = resolveParams(consensus, {});
    expect(defaults).toEqual({ minVotes: 2, rsiPeriod: 14, macdFast: 12, macdSlow: 26, macdSignal: 9, emaPeriod: 50 });
    expect(consensus.warmup(defaults)).toBe(51);
    expect(consensus.warmup(resolveParams(consensus, { emaPeriod: 10 }))).toBe(35);
    expect(consensus.warmup(resolveParams(consensus, SHORT))).toBe(5);
  });

  it('enters when two of three votes turn bullish, with strength 2/3, and exits when two are bearish', async () => {
    const run = await runStrategy(consensus, candlesFromCloses(V_AND_BACK), { params: SHORT, fee: 0 });
    expect(run).toEnterAt(8);
    expect(run.signals[0]).toMatchObject({ action: 'enter', strength: 2 / 3, reason: '2/3 bullish (RSI 50.0, MACD histogram 0.1079, close 14 vs EMA3 14)' });
    expect(run).toExitAt(15);
    expect(run).toExitWithReason(/^3\/3 bearish \(RSI 49\.6/);
    expect(run).toHaveTraded(1);
    expect(run.trades[0]!.entryPrice).toBeCloseTo(14, 9);
    expect(run.trades[0]!.exitPrice).toBeCloseTo(19, 9);
  });

  it('waits for all three votes with minVotes 3', async () => {
    const run = await runStrategy(consensus, candlesFromCloses(V_AND_BACK), { params: { ...SHORT, minVotes: 3 }, fee: 0 });
    expect(run).not.toEnterAt(8);
    expect(run).toEnterAt(9);
    expect(run.signals[0]!.strength).toBe(1);
    expect(run).toExitAt(15);
  });

  it('enters on the turn to bullish, not on every bullish candle', async () => {
    // A steady rise is bullish from the first candle the votes count: there is no turn, so no entry.
    const rising = Array.from({ length: 120 }, (_, i) => 100 + i);
    expect(await runStrategy(consensus, candlesFromCloses(rising), { params: SHORT })).toNeverEnter();
  });

  it('never enters in a steady fall', async () => {
    const falling = Array.from({ length: 120 }, (_, i) => 300 - 2 * i);
    expect(await runStrategy(consensus, candlesFromCloses(falling))).toNeverEnter();
    expect(await runStrategy(consensus, candlesFromCloses(falling), { params: SHORT })).toNeverEnter();
  });

  it('refuses a minority vote, macdSlow <= macdFast and out-of-bounds lengths, naming the strategy and the parameter', async () => {
    const candles = candlesFromCloses(V_AND_BACK);
    await expect(runStrategy(consensus, candles, { params: { minVotes: 1 } })).rejects.toThrow(
      'strategy "consensus" parameter "minVotes" must be between 2 and 3, got 1.',
    );
    await expect(runStrategy(consensus, candles, { params: { macdFast: 26 } })).rejects.toThrow(
      'strategy "consensus" refuses these parameters: macdSlow (26) must be greater than macdFast (26).',
    );
    expect(() => resolveParams(consensus, { rsiPeriod: 1 })).toThrow('strategy "consensus" parameter "rsiPeriod" must be between 2 and 100, got 1.');
  });

  it('decides on each candle from that candle and the ones before only', () => {
    const candles = range({ seed: 21, length: 600, volatility: 0.01 });
    expect(checkNoLookAhead(consensus, candles)).toHaveNoLookAhead();
    expect(checkNoLookAhead(consensus, candles, { params: { ...SHORT, minVotes: 3 } })).toHaveNoLookAhead();
  });

  it('trades on noisy markets (the look-ahead check is not vacuous)', async () => {
    expect((await runStrategy(consensus, range({ seed: 21, length: 600, volatility: 0.01 }))).summary.trades).toBeGreaterThan(3);
    expect((await runStrategy(consensus, trend({ seed: 22, length: 600, drift: 0.001, volatility: 0.01 }))).summary.trades).toBeGreaterThan(3);
  });
});
