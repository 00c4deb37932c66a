import { candlesFromCloses, checkNoLookAhead, crash, range, runStrategy, trend } from '../../../src/testkit';
import '../../../src/testkit/jest';
import macdCrossover from '../../../strategies/macd-crossover';
import rsiMeanReversion from '../../../strategies/rsi-mean-reversion';
import smaCross from '../../../strategies/sma-cross';

/** The three strategies that came first, seen through the test kit as a user would test them. */
describe('sma-cross through the test kit', () => {
  /*
   * SMA2 and SMA3 of the closes:
   *   index   3      4      5      6
   *   close  10     13     14      9
   *   SMA2   10   11.5   13.5   11.5
   *   SMA3   10     11  12.33     12
   * Index 4: fast above slow, equal before: enter. Index 6: fast below, above before: exit.
   */
  const closes = [10, 10, 10, 10, 13, 14, 9, 9];

  it('enters on the cross up and exits on the cross down, filled at the next opens', async () => {
    const run = await runStrategy(smaCross, candlesFromCloses(closes), { params: { fast: 2, slow: 3 }, fee: 0 });
    expect(run).toEnterAt(4);
    expect(run).toExitAt(6);
    expect(run).toExitWithReason(/SMA2 11\.50 crossed below SMA3 12\.00/);
    expect(run).toHaveTraded(1);
    // Filled at the opens of candles 5 and 7, which are the closes of 4 and 6.
    expect(run.trades[0]).toMatchObject({ entryPrice: 13, exitPrice: 9 });
  });

  it('never enters while the closes only fall', async () => {
    expect(await runStrategy(smaCross, trend({ seed: 2, length: 300, drift: -0.01, volatility: 0.001 }), { params: { fast: 2, slow: 5 } })).toNeverEnter();
  });

  it('has no look-ahead', () => {
    expect(checkNoLookAhead(smaCross, trend({ seed: 4, length: 400, drift: 0, volatility: 0.01 }), { params: { fast: 3, slow: 8 } })).toHaveNoLookAhead();
  });
});

describe('rsi-mean-reversion through the test kit', () => {
  it('buys the recovery after a crash and trades in a choppy range', async () => {
    const afterCrash = await runStrategy(rsiMeanReversion, crash({ seed: 5, length: 300, volatility: 0.004, dropPct: 30 }));
    const entries = afterCrash.signals.filter((s) => s.action === 'enter');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0]!.reason).toMatch(/^RSI crossed back above 30/);
    const choppy = await runStrategy(rsiMeanReversion, range({ seed: 6, length: 1000, volatility: 0.02 }));
    expect(choppy.summary.trades).toBeGreaterThan(1);
  });

  it('has no look-ahead', () => {
    expect(checkNoLookAhead(rsiMeanReversion, range({ seed: 7, length: 500, volatility: 0.02 }))).toHaveNoLookAhead();
  });
});

describe('macd-crossover through the test kit', () => {
  it('follows the swings of a range, entering and exiting on the crosses', async () => {
    const run = await runStrategy(macdCrossover, range({ seed: 8, length: 800, volatility: 0.015 }));
    expect(run.summary.trades).toBeGreaterThan(3);
    expect(run).toExitWithReason(/crossed below signal/);
  });

  it('has no look-ahead', () => {
    expect(checkNoLookAhead(macdCrossover, trend({ seed: 9, length: 500, drift: 0.0005, volatility: 0.01 }))).toHaveNoLookAhead();
  });
});
