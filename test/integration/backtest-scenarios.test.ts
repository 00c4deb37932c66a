/**
 * Backtests on small hand-made candle series, every figure computed by hand here. The engine is the paper
 * bot: the same agents, fill model and ledger, on a simulated clock.
 */
import { loadBacktestConfig } from '../../src/backtest/backtest-config';
import { runBacktest } from '../../src/backtest/run-backtest';
import { tradesCsv } from '../../src/portfolio/trades-csv';
import { APP_STRATEGIES, backtest, flat, hourly, HOUR, seriesOf, T0 } from '../helpers/backtest-harness';
import { MemoryLogger } from '../helpers/memory-logger';
import { DEFAULT_CONFIG_FILE } from '../helpers/test-app';

describe('backtest scenarios computed by hand', () => {
  it('fills a signal at the next open, moved by slippage, with fees on both fills (stake all)', async () => {
    const series = flat('BTC/USDT', [100, 101, 102, 104, 103, 106, 105]);
    const run = await backtest([series], {
      strategy: 'scripted',
      params: { enterAt: '2', exitAt: '5' },
      balance: '1000',
      fee: '0.001',
      slippageBps: '10',
    });
    const [trade] = run.final.closedTrades;
    // Entry decided on candle 2's close, filled at candle 3's open 102, 10 bps worse: 102.102.
    const entry = 102 * 1.001;
    // --stake all: qty = cash / (price x (1 + fee)).
    const qty = 1000 / (entry * 1.001);
    const entryFee = qty * entry * 0.001;
    // Exit decided on candle 5's close, filled at candle 6's open 106, 10 bps worse for a sell.
    const exit = 106 * 0.999;
    const exitFee = qty * exit * 0.001;
    const pnl = qty * exit - exitFee - 1000;
    expect(run.final.closedTrades).toHaveLength(1);
    expect(trade).toMatchObject({ symbol: 'BTC/USDT', side: 'long', exitReason: 'signal', entryTime: T0 + 2 * HOUR, exitTime: T0 + 5 * HOUR });
    expect(trade!.entryPrice).toBeCloseTo(entry, 10);
    expect(trade!.exitPrice).toBeCloseTo(exit, 10);
    expect(trade!.qty).toBeCloseTo(qty, 12);
    expect(trade!.fees).toBeCloseTo(entryFee + exitFee, 10);
    expect(trade!.pnl).toBeCloseTo(pnl, 9);
    expect(run.final.summary.finalEquity).toBeCloseTo(1000 + pnl, 9);
    expect(run.final.summary.feesPaid).toBeCloseTo(entryFee + exitFee, 10);
  });

  it('writes the fill prices to trades.csv exactly as filled, not as notional / qty', async () => {
    const open = 19_337.53;
    // 1026 / (19337.53 x 1.001) is a quantity for which open x qty / qty comes back one ulp off.
    const run = await backtest([flat('BTC/USDT', [open, open, open, open, open])], { strategy: 'scripted', params: { enterAt: '1', exitAt: '3' }, balance: '1026', fee: '0.001' });
    const [trade] = run.final.closedTrades;
    expect((trade!.qty * open) / trade!.qty).not.toBe(open);
    const [, row] = tradesCsv(run.final.closedTrades).split('\n');
    expect(row!.split(',').slice(5, 7)).toEqual(['19337.53', '19337.53']);
  });

  it("trades under Binance's minimum order on a binance_ file and says from when the account fell below it", async () => {
    // 8 USDT buys at 100 and sells at 50: 4 USDT is left, under Binance's 5; the entries of candles 6 and 7 are refused.
    const { candles } = flat('BTC/USDT', [100, 100, 100, 100, 50, 50, 50, 50, 50]);
    const series = seriesOf('data/binance_BTC-USDT_1h.json', [...candles]);
    const run = await backtest([series], { strategy: 'scripted', params: { enterAt: '1,6,7', exitAt: '4' }, balance: '8', fee: '0' });
    expect(run.final.closedTrades).toHaveLength(1);
    expect(run.belowMinNotional).toEqual({ from: T0 + 6 * HOUR, freeCash: 4, minNotional: 5, quote: 'USDT', count: 2 });
    expect(run.rejectedSignals.risk).toBe(2);
  });

  it('fills a stop-loss at the open when the candle gaps through it', async () => {
    // Entry at candle 3's open 100; the stop 5 % lower is 95; candle 4 opens at 90, below it.
    const series = hourly('BTC/USDT', [
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [90, 91, 88, 89],
      [89, 89, 89, 89],
    ]);
    const run = await backtest([series], { strategy: 'scripted', params: { enterAt: '2', stopLossPct: 5 }, balance: '1000', fee: '0' });
    const [trade] = run.final.closedTrades;
    expect(trade).toMatchObject({ exitReason: 'stop-loss', entryPrice: 100, exitPrice: 90, exitTime: T0 + 3 * HOUR });
    expect(trade!.pnl).toBeCloseTo(10 * (90 - 100), 9);
  });

  it('takes the stop-loss when a candle reaches both the stop and the take-profit', async () => {
    // Entry at 100 (candle 3's open); stop 95 and take-profit 105; candle 4 spans 94..106.
    const series = hourly('BTC/USDT', [
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100.5, 99.5, 100],
      [100, 106, 94, 100],
      [100, 100, 100, 100],
    ]);
    const run = await backtest([series], {
      strategy: 'scripted',
      params: { enterAt: '2', stopLossPct: 5, takeProfitPct: 5 },
      balance: '1000',
      fee: '0',
    });
    expect(run.final.closedTrades).toEqual([expect.objectContaining({ exitReason: 'stop-loss', exitPrice: 95 })]);
  });

  it('triggers a stop inside the very candle the entry filled in', async () => {
    // Entry at candle 3's open 100, stop 95; the same candle's low is 94.
    const series = hourly('BTC/USDT', [
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 94, 96],
      [96, 96, 96, 96],
    ]);
    const run = await backtest([series], { strategy: 'scripted', params: { enterAt: '2', stopLossPct: 5 }, balance: '1000', fee: '0' });
    expect(run.final.closedTrades).toEqual([expect.objectContaining({ exitReason: 'stop-loss', exitPrice: 95, entryTime: T0 + 2 * HOUR, exitTime: T0 + 2 * HOUR })]);
  });

  it('marks a position still open at the end at the last close and says so', async () => {
    const series = flat('BTC/USDT', [100, 100, 110, 120, 130]);
    const run = await backtest([series], { strategy: 'scripted', params: { enterAt: '2' }, balance: '1100', fee: '0.001' });
    // Entry at candle 3's open 110: qty = 1100 / (110 x 1.001); marked at the last close 130.
    const qty = 1100 / (110 * 1.001);
    expect(run.final.closedTrades).toEqual([]);
    expect(run.final.summary.openPositions).toBe(1);
    expect(run.final.summary.finalEquity).toBeCloseTo(qty * 130, 9);
    expect(run.final.summary.positionsValue).toBeCloseTo(qty * 130, 9);
  });

  it('plays several symbols in one account in timestamp order', async () => {
    // ETH starts two hours later than BTC; both enter on their 2nd candle and exit on their 4th.
    const btc = flat('BTC/USDT', [100, 100, 100, 110, 120, 120, 120]);
    const eth = flat('ETH/USDT', [10, 10, 10, 12, 12], T0 + 2 * HOUR);
    const run = await backtest([btc, eth], { strategy: 'scripted', params: { enterAt: '2', exitAt: '4' }, balance: '1000', fee: '0', stake: '50%' });
    const trades = run.final.closedTrades.map((t) => [t.symbol, t.entryTime, t.exitTime]);
    expect(trades).toEqual([
      ['BTC/USDT', T0 + 2 * HOUR, T0 + 4 * HOUR],
      ['ETH/USDT', T0 + 4 * HOUR, T0 + 6 * HOUR],
    ]);
    // BTC: 50 % of 1000 = 500 at 100 (candle 3's open) -> 5 units, sold at 120: +100.
    // ETH decides at T0+3h, when equity is 500 cash + 5 BTC x 110 = 1050: 50 % is 525, capped at the free
    // cash 500 -> 50 units at 10 (its 3rd candle's open), sold at 12: +100.
    expect(run.final.closedTrades.map((t) => t.pnl)).toEqual([expect.closeTo(100, 9), expect.closeTo(100, 9)]);
    expect(run.final.closedTrades.map((t) => t.qty)).toEqual([expect.closeTo(5, 12), expect.closeTo(50, 12)]);
    expect(run.final.summary.finalEquity).toBeCloseTo(1200, 9);
    const times = run.curve.points().map((p) => p.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
  });
});

describe('a backtest told to stop (--duration)', () => {
  it('stops at a progress check and reports on the candles it played', async () => {
    const prices = Array.from({ length: 12_000 }, (_, i) => 100 + (i % 50));
    const series = flat('BTC/USDT', prices);
    const loaded = loadBacktestConfig(
      { strategy: 'scripted', params: {}, symbols: ['BTC/USDT'], timeframe: '1h', out: 'unused' },
      { defaultFile: DEFAULT_CONFIG_FILE, env: { BOT_LOG_TO_FILE: 'false' } },
    );
    const outcome = await runBacktest({ loaded, series: [series], range: {}, strategiesDir: APP_STRATEGIES, logger: new MemoryLogger(), shouldStop: () => true });
    expect(outcome.stoppedEarly).toBe(true);
    expect(outcome.periods).toBe(5_000);
    expect(outcome.curve.points()).toHaveLength(5_000);
    expect(outcome.final.summary.candles).toBe(5_000);
  });
});
