// The example of the README section "Testing your strategy", as a user would write it in test/momentum.test.ts
// (only the import paths differ): it must keep passing as written there.
import { candlesFromCloses, checkNoLookAhead, defineStrategy, runStrategy, trend } from '../../../src/testkit';
import '../../../src/testkit/jest';

/** Enters after `rises` higher closes in a row; exits on the first lower close. */
const momentum = defineStrategy({
  name: 'momentum',
  description: 'Enters after a run of higher closes, exits on the first lower close.',
  params: { rises: { type: 'number', default: 3, min: 1, integer: true } },
  warmup: ({ rises }) => rises + 1,
  create: ({ rises }) => {
    let previous = Number.NaN;
    let streak = 0;
    return {
      onCandle: (candle, { position }) => {
        streak = candle.close > previous ? streak + 1 : 0;
        const lower = candle.close < previous;
        previous = candle.close;
        if (!position && streak >= rises) return { action: 'enter', reason: `${streak} higher closes` };
        if (position && lower) return { action: 'exit', reason: 'lower close' };
        return { action: 'none' };
      },
    };
  },
});

describe('momentum', () => {
  it('enters on the third higher close and exits on the first lower one', async () => {
    //               index:  0    1    2    3    4    5    6    7    8
    const candles = candlesFromCloses([100, 101, 102, 103, 106, 104, 102, 103, 104]);
    const run = await runStrategy(momentum, candles, { fee: 0 });

    expect(run).toEnterAt(3); // decided on candle 3's close...
    expect(run.trades[0]).toMatchObject({ entryPrice: 103, exitPrice: 104 }); // ...filled at candle 4's open
    expect(run).not.toEnterAt(4); // already in
    expect(run).toExitAt(5);
    expect(run).toExitWithReason('lower close');
    expect(run).toHaveTraded(1);
    expect(run.summary.finalEquity).toBeCloseTo((10_000 / 103) * 104, 6);
  });

  it('never enters in a steady fall', async () => {
    const falling = trend({ seed: 1, length: 500, drift: -0.01, volatility: 0.002 });
    expect(await runStrategy(momentum, falling)).toNeverEnter();
  });

  it('decides on each candle from that candle and the ones before only', () => {
    const candles = trend({ seed: 7, length: 500, drift: 0.0005, volatility: 0.01 });
    expect(checkNoLookAhead(momentum, candles, { params: { rises: 2 } })).toHaveNoLookAhead();
  });

  it('keeps its drawdown small in an uptrend', async () => {
    const run = await runStrategy(momentum, trend({ seed: 3, length: 1000, drift: 0.001, volatility: 0.01 }), { params: { rises: 4 } });
    expect(run.summary.trades).toBeGreaterThan(10);
    expect(run.summary.maxDrawdownPct).toBeLessThan(20);
  });
});
