/**
 * The backtest is the paper engine: the same seeded candles through a paper run on the simulated clock and
 * through a backtest give the same trades, and a backtest repeated gives byte-identical trades.csv.
 */
import type { MarketPeriod } from '../../src/bus/topics';
import { tradesCsv } from '../../src/portfolio/trades-csv';
import { APP_STRATEGIES, backtest, seriesOf } from '../helpers/backtest-harness';
import { replayablePaperEnv, runPaper } from '../helpers/run-paper';
import { STRATEGIES_DIR } from '../helpers/test-app';

const CANDLES = 3000;

describe('backtest and paper trading agree', () => {
  it('gives the same trades for the same candles', async () => {
    // One tick per candle: the paper run's "next tick" is then exactly the backtest's "next candle's open".
    const paper = await runPaper({
      keepMessages: true,
      env: replayablePaperEnv(CANDLES),
    });
    const candles = paper.messages.filter((m) => m.topic === 'market.candles').flatMap((m) => (m.payload as MarketPeriod).candles);
    expect(candles).toHaveLength(CANDLES);
    expect(paper.closedTrades.length).toBeGreaterThan(20);

    const run = await backtest(
      [seriesOf('paper-run', candles)],
      { strategy: 'sma-cross', params: { fast: 5, slow: 20 }, stake: 'all', fee: '0.001', slippageBps: '5', balance: '10000' },
      STRATEGIES_DIR,
    );
    expect(run.final.closedTrades).toEqual(paper.closedTrades);
    expect(run.final.summary.finalEquity).toBeCloseTo(paper.final!.summary.finalEquity, 9);
  });

  it('writes byte-identical trades for two runs of one backtest', async () => {
    const paper = await runPaper({
      keepMessages: true,
      env: { BOT_MARKET_SYMBOLS: 'ETH/USDT', BOT_MARKET_SPEED: '1000', BOT_MONITOR_STATUS_INTERVAL_MS: '0', BOT_RUN_CANDLES: '1500' },
    });
    const candles = paper.messages.filter((m) => m.topic === 'market.candles').flatMap((m) => (m.payload as MarketPeriod).candles);
    const series = [seriesOf('seeded', candles)];
    const settings = { strategy: 'sma-cross', params: { fast: 5, slow: 15, stopLossPct: 1 }, slippageBps: '3' };
    const first = await backtest(series, settings, STRATEGIES_DIR);
    const second = await backtest(series, settings, STRATEGIES_DIR);
    expect(first.final.closedTrades.length).toBeGreaterThan(10);
    expect(tradesCsv(second.final.closedTrades)).toBe(tradesCsv(first.final.closedTrades));
  });

  it('gives the same trades with a take-profit ladder, a trailing stop, an ROI table and the risk protections, twice alike', async () => {
    // Loose enough to let trading go on, tight enough that the cooldown and the stop-loss guard refuse entries.
    const protections = { BOT_RISK_MAX_DRAWDOWN_PCT: '40', BOT_RISK_COOLDOWN_AFTER_LOSS_MIN: '20', BOT_RISK_STOPLOSS_GUARD_COUNT: '2', BOT_RISK_STOPLOSS_GUARD_WINDOW_MIN: '120', BOT_RISK_STOPLOSS_GUARD_PAUSE_MIN: '30' };
    const paper = await runPaper({
      keepMessages: true,
      strategiesDir: APP_STRATEGIES,
      env: {
        BOT_MARKET_SYMBOLS: 'BTC/USDT',
        // The protections count minutes: on one-minute candles the cooldown and the guard's window span enough candles to refuse entries.
        BOT_MARKET_TIMEFRAME: '1m',
        BOT_MARKET_SIMULATED_TICKS_PER_CANDLE: '1',
        BOT_MARKET_SPEED: '1000',
        BOT_MONITOR_STATUS_INTERVAL_MS: '0',
        BOT_RUN_CANDLES: '2000',
        BOT_ANALYSIS_STRATEGIES: 'laddered',
        BOT_TRADE_STAKE: 'all',
        BOT_TRADE_STOP_LOSS_PCT: '0',
        BOT_RISK_MAX_POSITION_PCT: '100',
        BOT_TRADE_SLIPPAGE_BPS: '5',
        ...protections,
      },
    });
    const candles = paper.messages.filter((m) => m.topic === 'market.candles').flatMap((m) => (m.payload as MarketPeriod).candles);
    const reasons = new Set(paper.messages.filter((m) => m.topic === 'order.filled').map((m) => (m.payload as { fill: { reason: string } }).fill.reason));
    // Every rule fired in the run, or the comparison proves less than it says.
    expect([...reasons].sort()).toEqual(['roi', 'signal', 'stop-loss', 'take-profit', 'trailing-stop']);
    const settings = { strategy: 'laddered', params: {}, stake: 'all', fee: '0.001', slippageBps: '5', balance: '10000' };
    const refusals = new Set(paper.denials.map((d) => d.denial.code));
    expect(refusals.has('risk-cooldown') && refusals.has('trading-reducing')).toBe(true);
    const run = await backtest([seriesOf('paper-run', candles)], settings, APP_STRATEGIES, protections);
    expect(run.final.closedTrades.length).toBeGreaterThan(10);
    expect(run.final.closedTrades).toEqual(paper.closedTrades);
    expect(run.final.summary.finalEquity).toBeCloseTo(paper.final!.summary.finalEquity, 9);
    const again = await backtest([seriesOf('paper-run', candles)], settings, APP_STRATEGIES, protections);
    expect(tradesCsv(again.final.closedTrades)).toBe(tradesCsv(run.final.closedTrades));
  });
});
