/**
 * runStrategy is the backtest engine: these runs are small enough to compute by hand, and one is checked
 * against a backtest started the way the integration tests start one.
 */
import fs from 'node:fs';
import { UserError } from '../../../src/core/errors';
import { candlesFromCloses, candlesFromRows, defineStrategy, runStrategy, trend } from '../../../src/testkit';
import smaCross from '../../../strategies/sma-cross';
import { backtest, seriesOf } from '../../helpers/backtest-harness';
import { STRATEGIES_DIR } from '../../helpers/test-app';

// SMA2 and SMA4 of these closes (from the sma-cross unit test): the fast one crosses above on candle 6
// (SMA2 10 > SMA4 9.75, after 8.5 <= 9.25) and below on candle 9 (11 < 12, after 13.5 >= 11.75).
const CROSSES = [10, 10, 10, 10, 9, 8, 12, 14, 13, 9, 7];
const FAST_SLOW = { fast: 2, slow: 4 };

/** Enters on the candle whose count (1-based) is `enterAt`; a 5 % stop unless told otherwise. */
const enterOnce = defineStrategy({
  name: 'enter-once',
  description: 'Enters once, on a given candle, and lets a stop-loss or take-profit close the trade.',
  params: {
    enterAt: { type: 'number', default: 3, integer: true, min: 1 },
    stopLossPct: { type: 'number', default: 5, min: 0 },
    takeProfitPct: { type: 'number', default: 0, min: 0 },
  },
  protection: ({ stopLossPct, takeProfitPct }) => ({ stopLossPct, takeProfitPct }),
  warmup: () => 1,
  create: ({ enterAt }) => ({
    onCandle: (_candle, { candleCount, position }) => (!position && candleCount === enterAt ? { action: 'enter', reason: `candle ${candleCount}` } : { action: 'none' }),
  }),
});

describe('runStrategy', () => {
  it('reports the signals by candle index and fills them at the next open, with fees', async () => {
    const candles = candlesFromCloses(CROSSES);
    const run = await runStrategy(smaCross, candles, { params: FAST_SLOW, balance: 1000, fee: 0.001 });

    expect(run.signals).toEqual([
      { index: 6, time: candles[6]!.time, action: 'enter', reason: 'SMA2 10.00 crossed above SMA4 9.75', strategy: 'sma-cross', strength: 1, price: 12 },
      { index: 9, time: candles[9]!.time, action: 'exit', reason: 'SMA2 11.00 crossed below SMA4 12.00', strategy: 'sma-cross', strength: 1, price: 9 },
    ]);
    // Candle 7 opens at candle 6's close, 12; candle 10 at 9. Stake all: qty = 1000 / (12 x 1.001).
    const qty = 1000 / (12 * 1.001);
    const fees = qty * 12 * 0.001 + qty * 9 * 0.001;
    const [trade] = run.trades;
    expect(run.trades).toHaveLength(1);
    expect(trade).toMatchObject({ entryTime: candles[7]!.time, entryPrice: 12, exitTime: candles[10]!.time, exitPrice: 9, exitReason: 'signal' });
    expect(trade!.qty).toBeCloseTo(qty, 12);
    expect(trade!.pnl).toBeCloseTo(qty * 9 - qty * 9 * 0.001 - 1000, 9);
    expect(run.fills.map((f) => [f.side, f.price, f.time])).toEqual([
      ['buy', 12, candles[7]!.time],
      ['sell', 9, candles[10]!.time],
    ]);
    expect(run.orders).toHaveLength(2);
    expect(run.summary).toMatchObject({ strategy: 'sma-cross', symbols: ['BTC/USDT'], timeframe: '1h', candles: 11, startBalance: 1000, trades: 1, winRatePct: 0, openPositionsAtEnd: 0 });
    expect(run.summary.finalEquity).toBeCloseTo(1000 + trade!.pnl, 9);
    expect(run.summary.feesPaid).toBeCloseTo(fees, 10);
    expect(run.summary.totalReturnPct).toBeCloseTo((trade!.pnl / 1000) * 100, 9);
    expect(run.summary.buyHoldReturnPct).toBeCloseTo(-30, 12);
    expect(run.params).toEqual({ fast: 2, slow: 4, stopLossPct: 0, takeProfitPct: 0 });
    expect(run.equity).toHaveLength(11);
    expect(run.warnings).toEqual([]);
  });

  it('moves fills by the slippage, sizes by the stake and relabels the symbol', async () => {
    const run = await runStrategy(smaCross, candlesFromCloses(CROSSES), { params: FAST_SLOW, balance: 1000, fee: 0, slippageBps: 10, stake: '50%', symbol: 'SOL/USDC' });
    const [trade] = run.trades;
    expect(trade).toMatchObject({ symbol: 'SOL/USDC', entryPrice: 12 * 1.001, exitPrice: 9 * 0.999 });
    expect(trade!.qty).toBeCloseTo(500 / (12 * 1.001), 12);
    expect(run.summary.symbols).toEqual(['SOL/USDC']);
  });

  it('loads a strategy by its name in strategies/ as backtest --strategy does', async () => {
    const candles = trend({ seed: 3, length: 400, drift: 0.0005, volatility: 0.01 });
    const byName = await runStrategy('sma-cross', candles, { params: { fast: 5, slow: 20 } });
    const byDefinition = await runStrategy(smaCross, candles, { params: { fast: 5, slow: 20 } });
    expect(byName.signals.length).toBeGreaterThan(4);
    expect(byName.signals).toEqual(byDefinition.signals);
    expect(byName.summary).toEqual(byDefinition.summary);
  });

  it('gives the same figures as a backtest of the same candles through runBacktest', async () => {
    const candles = trend({ seed: 11, length: 500, drift: 0.0002, volatility: 0.012 });
    const run = await runStrategy(smaCross, candles, { params: { fast: 4, slow: 12 }, balance: 5000, fee: 0.002, slippageBps: 5 });
    const direct = await backtest(
      [seriesOf('direct', candles)],
      { strategy: 'sma-cross', params: { fast: 4, slow: 12 }, balance: '5000', fee: '0.002', slippageBps: '5' },
      STRATEGIES_DIR,
    );
    expect(run.trades.length).toBeGreaterThan(5);
    expect(run.trades).toEqual(direct.final.closedTrades);
    expect(run.summary.finalEquity).toBe(direct.final.summary.finalEquity);
    expect(run.equity).toEqual(direct.curve.points());
  });

  it('runs a definition that exists only in the test, stops and take-profits included', async () => {
    // Entry decided on candle 2's close, filled at candle 3's open 100; the stop at 95 is hit inside candle 4.
    const candles = candlesFromRows([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [100, 100, 94, 96],
      [96, 96, 96, 96],
    ]);
    const stopped = await runStrategy(enterOnce, candles, { fee: 0 });
    expect(stopped.signals.map((s) => [s.index, s.action])).toEqual([[2, 'enter']]);
    expect(stopped.trades).toEqual([expect.objectContaining({ exitReason: 'stop-loss', entryPrice: 100, exitPrice: 95, exitTime: candles[4]!.time })]);
    const held = await runStrategy(enterOnce, candles, { fee: 0, params: { stopLossPct: 10 } });
    expect(held.trades).toEqual([]);
    expect(held.summary.openPositionsAtEnd).toBe(1);
    // A take-profit at 100.5 is reached inside candle 3, the candle the entry filled in.
    const took = await runStrategy(enterOnce, candles, { fee: 0, params: { stopLossPct: 0, takeProfitPct: 0.5 } });
    expect(took.trades).toEqual([expect.objectContaining({ exitReason: 'take-profit', exitPrice: expect.closeTo(100.5, 9), exitTime: candles[3]!.time })]);
  });

  it('hands an inline definition to the engine as it is: no file is written', async () => {
    const made = jest.spyOn(fs, 'mkdtempSync');
    const written = jest.spyOn(fs, 'writeFileSync');
    try {
      await runStrategy(enterOnce, candlesFromCloses([1, 2, 3]));
      await expect(runStrategy(enterOnce, candlesFromCloses([1, 2, 3]), { params: { enterAt: 0 } })).rejects.toThrow('enterAt');
      expect(made).not.toHaveBeenCalled();
      expect(written).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
      written.mockRestore();
    }
  });

  it('rejects when the strategy throws, naming the candle, unless failures are allowed', async () => {
    const explodes = defineStrategy({
      name: 'explodes',
      description: 'Throws on its fifth candle.',
      params: {},
      warmup: () => 1,
      create: () => ({
        onCandle: (_candle, { candleCount }) => {
          if (candleCount === 5) throw new Error('division by zero');
          return { action: 'none' };
        },
      }),
    });
    const candles = candlesFromCloses([1, 2, 3, 4, 5, 6, 7]);
    await expect(runStrategy(explodes, candles)).rejects.toThrow(
      'strategy explodes failed on candle 4 (2024-01-01T04:00:00.000Z) and was disabled: onCandle() threw on BTC/USDT: division by zero',
    );
    const run = await runStrategy(explodes, candles, { allowFailure: true });
    expect(run.failure).toEqual({ index: 4, time: candles[4]!.time, error: 'onCandle() threw on BTC/USDT: division by zero' });
    expect(run.warnings.join('\n')).toContain('strategy explodes is disabled');
  });

  it('refuses what the bot would refuse: bad parameters, a name that is no file name, unknown strategies', async () => {
    const candles = candlesFromCloses([1, 2, 3]);
    await expect(runStrategy(smaCross, candles, { params: { fast: 30, slow: 10 } })).rejects.toThrow('slow (10) must be greater than fast (30)');
    await expect(runStrategy(smaCross, candles, { params: { fats: 3 } as never })).rejects.toThrow('strategy "sma-cross" has no parameter "fats"');
    await expect(runStrategy({ ...enterOnce, name: 'Enter Once' }, candles)).rejects.toThrow(UserError);
    await expect(runStrategy({ ...enterOnce, name: '../escape' }, candles)).rejects.toThrow('strategy name "../escape" is invalid');
    await expect(runStrategy('no-such-strategy', candles)).rejects.toThrow('strategy "no-such-strategy" not found');
  });

  it('refuses candles the engine cannot play', async () => {
    const a = candlesFromCloses([1, 2]);
    const b = candlesFromCloses([1, 2], { symbol: 'ETH/USDT' });
    await expect(runStrategy(smaCross, [])).rejects.toThrow('no candles given');
    await expect(runStrategy(smaCross, [a[0]!, b[1]!])).rejects.toThrow('candle 1 is ETH/USDT but candle 0 is BTC/USDT');
    await expect(runStrategy(smaCross, [a[1]!, a[0]!])).rejects.toThrow('candle 1 opens -3600000 ms after candle 0');
    await expect(runStrategy(smaCross, a, { timeframe: '4h' })).rejects.toThrow('whole 4h periods');
  });
});
