import { candlesFromCloses, candlesFromRows, checkNoLookAhead, defineStrategy, installMatchers, runStrategy, type StrategyRun } from '../../../src/testkit';
import smaCross from '../../../strategies/sma-cross';

installMatchers();

const CROSSES = [10, 10, 10, 10, 9, 8, 12, 14, 13, 9, 7];

/** The message of a failed expectation, without colours. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (err) {
    // eslint-disable-next-line no-control-regex
    return (err as Error).message.replace(/\u001b\[[0-9;]*m/g, '');
  }
  throw new Error('the assertion passed');
}

const stopsOut = defineStrategy({
  name: 'stops-out',
  description: 'Enters on its third candle with a 5 % stop.',
  params: {},
  protection: () => ({ stopLossPct: 5 }),
  warmup: () => 1,
  create: () => ({
    onCandle: (_candle, { candleCount, position }) => (!position && candleCount === 3 ? { action: 'enter', reason: 'third candle' } : { action: 'none' }),
  }),
});

describe('strategy matchers', () => {
  let run: StrategyRun;
  let stopped: StrategyRun;
  beforeAll(async () => {
    run = await runStrategy(smaCross, candlesFromCloses(CROSSES), { params: { fast: 2, slow: 4 }, balance: 1000 });
    const rows = [[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 100], [100, 101, 99, 100], [100, 100, 94, 96], [96, 96, 96, 96]] as const;
    stopped = await runStrategy(stopsOut, candlesFromRows(rows), { fee: 0 });
  });

  it('pass on what the run did, by index or by time', () => {
    expect(run).toEnterAt(6);
    expect(run).toEnterAt('2024-01-01T06:00:00Z');
    expect(run).toEnterAt(new Date(Date.UTC(2024, 0, 1, 6)));
    expect(run).not.toEnterAt(7);
    expect(run).toExitAt(9);
    expect(run).not.toExitAt(10);
    expect(run).toExitWithReason('crossed below');
    expect(run).toExitWithReason(/SMA2 [\d.]+ crossed below SMA4/);
    expect(run).not.toExitWithReason('stop-loss');
    expect(run).toHaveTraded(1);
    expect(run).not.toHaveTraded(2);
    expect(run).not.toNeverEnter();
    // A stop-loss is an exit on the candle it triggered in, with its own reason.
    expect(stopped).toExitAt(4);
    expect(stopped).toExitWithReason('stop-loss');
    expect(stopped).toHaveTraded(1);
  });

  it('toEnterAt fails listing every signal with index, time, action and reason', () => {
    expect(failure(() => expect(run).toEnterAt(7))).toBe(
      [
        'expect(run).toEnterAt(candle)',
        '',
        'Expected sma-cross to enter on candle 7 (2024-01-01T07:00:00.000Z, close 14). It entered on candle(s) 6.',
        '',
        'Signals of sma-cross (2):',
        '  #6  2024-01-01T06:00:00.000Z  enter   SMA2 10.00 crossed above SMA4 9.75',
        '  #9  2024-01-01T09:00:00.000Z  exit    SMA2 11.00 crossed below SMA4 12.00',
      ].join('\n'),
    );
    expect(failure(() => expect(run).not.toEnterAt(6))).toContain(
      'Expected sma-cross not to enter on candle 6 (2024-01-01T06:00:00.000Z, close 12), but it did:\n  #6  2024-01-01T06:00:00.000Z  enter   SMA2 10.00 crossed above SMA4 9.75',
    );
  });

  it('toExitAt and toExitWithReason fail listing signals and trades', () => {
    const exitAt = failure(() => expect(run).toExitAt(8));
    expect(exitAt).toContain('Expected sma-cross to exit on candle 8 (2024-01-01T08:00:00.000Z, close 13) (an exit signal on its close, or a stop-loss or take-profit inside it). It gave exit signals on candle(s) 9.');
    expect(exitAt).toContain('Trades of sma-cross (1):\n  entry #7 2024-01-01T07:00:00.000Z at 12 -> exit #10 2024-01-01T10:00:00.000Z at 9 (signal), pnl ');
    const reason = failure(() => expect(run).toExitWithReason(/take-profit/));
    expect(reason).toContain('Expected an exit of sma-cross with a reason matching /take-profit/; its exits are:\n  #9  2024-01-01T09:00:00.000Z  exit    SMA2 11.00 crossed below SMA4 12.00');
    expect(failure(() => expect(stopped).not.toExitWithReason('stop'))).toContain(
      'Expected no exit of stops-out with a reason matching "stop", but found 1:\n  entry #3 2024-01-01T03:00:00.000Z at 100 -> exit #4 2024-01-01T04:00:00.000Z at 95 (stop-loss), pnl -500.00 (-5.00 %)',
    );
  });

  it('toHaveTraded and toNeverEnter fail with counts and lists', () => {
    expect(failure(() => expect(run).toHaveTraded(3))).toContain('Expected sma-cross to close 3 trade(s); it closed 1.');
    expect(failure(() => expect(run).toNeverEnter())).toContain('Expected sma-cross never to enter, but it entered 1 time(s):\n  #6  2024-01-01T06:00:00.000Z  enter   SMA2 10.00 crossed above SMA4 9.75');
  });

  it('toNeverEnter passes on a run without entries and .not says so', async () => {
    const flat = await runStrategy(smaCross, candlesFromCloses(Array.from({ length: 40 }, () => 100)), { params: { fast: 2, slow: 4 } });
    expect(flat).toNeverEnter();
    expect(flat).toHaveTraded(0);
    const message = failure(() => expect(flat).not.toNeverEnter());
    expect(message).toContain('Expected sma-cross to enter at least once over 40 candles, but it never did.');
    expect(message).toContain('sma-cross gave no signal over 40 candles.');
  });

  it('lists the signals nearest the candle asked about when there are many', async () => {
    const zigzag = Array.from({ length: 400 }, (_, i) => 100 + 10 * Math.sin(i / 3));
    const busy = await runStrategy(smaCross, candlesFromCloses(zigzag), { params: { fast: 2, slow: 5 } });
    expect(busy.signals.length).toBeGreaterThan(40);
    const message = failure(() => expect(busy).toEnterAt(300));
    expect(message).toContain(`Signals of sma-cross (${busy.signals.length}, the 20 nearest candle 300 shown):`);
    const listed = [...message.matchAll(/^ {2}#(\d+) /gm)].map((m) => Number(m[1]));
    expect(listed).toHaveLength(20);
    const farthest = Math.max(...listed.map((index) => Math.abs(index - 300)));
    const unlisted = busy.signals.filter((s) => !listed.includes(s.index));
    for (const s of unlisted) expect(Math.abs(s.index - 300)).toBeGreaterThanOrEqual(farthest);
    expect(Math.min(...listed)).toBeLessThan(300);
    expect(Math.max(...listed)).toBeGreaterThan(300);
  });

  it('toReduceAt passes on a partial exit and fails listing the signals', async () => {
    const scales = defineStrategy({
      name: 'scales',
      description: 'Enters on its second candle, sells half on its fourth, the rest on its sixth.',
      params: {},
      warmup: () => 1,
      create: () => ({
        onCandle: (_candle, { candleCount, position }) => {
          if (!position && candleCount === 2) return { action: 'enter', reason: 'in' };
          if (position && candleCount === 4) return { action: 'reduce', reason: 'half off', fraction: 0.5 };
          if (position && candleCount === 6) return { action: 'exit', reason: 'out' };
          return { action: 'none' };
        },
      }),
    });
    const partial = await runStrategy(scales, candlesFromCloses([10, 10, 11, 12, 13, 14, 15, 16]), { fee: 0 });
    expect(partial).toReduceAt(3);
    expect(partial).toExitAt(5);
    expect(partial).toHaveTraded(1);
    expect(partial.fills.map((f) => [f.side, f.price])).toEqual([['buy', 10], ['sell', 12], ['sell', 14]]);
    expect(failure(() => expect(partial).toReduceAt(4))).toContain(
      'Expected scales to reduce on candle 4 (2024-01-01T04:00:00.000Z, close 13). It reduced on candle(s) 3.\n\nSignals of scales (3):\n  #1  2024-01-01T01:00:00.000Z  enter   in\n  #3  2024-01-01T03:00:00.000Z  reduce  half off (fraction 0.5)',
    );
  });

  it('tell a mistake in the test from a failed expectation', () => {
    expect(() => expect(run).toEnterAt(11)).toThrow('candle 11 does not exist: the run has 11 candles, 0 to 10');
    expect(() => expect(run).toEnterAt('2030-01-01')).toThrow('no candle of the run opens at 2030-01-01T00:00:00.000Z');
    expect(() => expect(Promise.resolve(run)).toEnterAt(6)).toThrow('toEnterAt() received a Promise: await runStrategy(...) before expect()');
    expect(() => expect({}).toHaveTraded(1)).toThrow('toHaveTraded() expects the result of runStrategy(strategy, candles)');
    expect(() => expect(run).toHaveNoLookAhead()).toThrow('toHaveNoLookAhead() expects the report of checkNoLookAhead');
  });

  it('toHaveNoLookAhead passes on a clean report and fails listing the violations', () => {
    const candles = candlesFromCloses(CROSSES);
    expect(checkNoLookAhead(smaCross, candles, { params: { fast: 2, slow: 4 }, every: 1 })).toHaveNoLookAhead();
    const peeks = defineStrategy({
      name: 'peeks',
      description: 'Enters when the next close is higher: it reads the array it closes over.',
      params: {},
      warmup: () => 1,
      create: () => ({
        onCandle: (candle, { candleCount, position }) => {
          const next = candles[candleCount];
          return !position && next !== undefined && next.close > candle.close ? { action: 'enter', reason: 'the next close is higher' } : { action: 'none' };
        },
      }),
    });
    const report = checkNoLookAhead(peeks, candles, { cuts: [5] });
    expect(failure(() => expect(report).toHaveNoLookAhead())).toBe(
      [
        'expect(report).toHaveNoLookAhead()',
        '',
        'Expected peeks to decide on each candle from that candle and earlier ones only, but 1 of 1 cuts changed a decision at or before the cut:',
        '  cut 5, the candles after 5 replaced: candle 5 (2024-01-01T05:00:00.000Z) decided "none" instead of "enter: the next close is higher"',
      ].join('\n'),
    );
  });
});
