/**
 * Two strategies on their own sub-ledgers (portfolio.allocations) through the whole paper bot: each spends
 * only its own share, every trade is attributed to the strategy that opened it, the sub-ledgers and the
 * unallocated rest add up to the account, and the run is the same twice.
 */
import type { MarketPeriod } from '../../src/bus/topics';
import type { Reallocated } from '../../src/portfolio/reallocation';
import { tradesCsv } from '../../src/portfolio/trades-csv';
import { APP_STRATEGIES, backtest, seriesOf } from '../helpers/backtest-harness';
import { runPaper } from '../helpers/run-paper';

const ENV = {
  BOT_MARKET_SYMBOLS: 'BTC/USDT,ETH/USDT',
  // 600 one-minute candles: ten hours, in which a rebalance "every 2h" comes due five times.
  BOT_MARKET_TIMEFRAME: '1m',
  BOT_MARKET_SPEED: '1000',
  BOT_MONITOR_STATUS_INTERVAL_MS: '0',
  BOT_RUN_CANDLES: '600',
  BOT_ANALYSIS_STRATEGIES: 'flip-flop,laddered',
  BOT_STRATEGY_PARAMS: '{"flip-flop":{"every":5,"hold":3},"laddered":{"every":4}}',
  BOT_PORTFOLIO_ALLOCATIONS: '{"flip-flop":70,"laddered":20}',
  BOT_TRADE_STAKE: 'all',
  BOT_TRADE_STOP_LOSS_PCT: '0',
  BOT_RISK_MAX_POSITION_PCT: '100',
  BOT_RISK_MAX_OPEN_POSITIONS: '4',
};

describe('per-strategy sub-ledgers in a paper run', () => {
  it('keeps each strategy to its own capital and attributes every trade', async () => {
    const run = await runPaper({ strategiesDir: APP_STRATEGIES, env: ENV });
    const byStrategy = run.final!.summary.byStrategy!;
    expect(Object.keys(byStrategy)).toEqual(['flip-flop', 'laddered']);
    expect(byStrategy['flip-flop']!.trades).toBeGreaterThan(10);
    expect(byStrategy['laddered']!.trades).toBeGreaterThan(10);
    // "all" means all of the strategy's own cash: flip-flop's first entry spends 7,000, not the account's 10,000.
    const firstOf = (who: string) => run.fills.find((f) => f.order.origin === who && f.fill.side === 'buy')!;
    expect(firstOf('flip-flop').order.quoteAmount).toBeCloseTo(7_000, 6);
    expect(firstOf('laddered').order.quoteAmount).toBeCloseTo(2_000, 6);
    for (const snapshot of run.afterFills) {
      const subs = Object.values(snapshot.strategies!);
      for (const b of subs) expect(b.cash).toBeGreaterThanOrEqual(-1e-6);
      // The account is the sub-ledgers plus the 1,000 no strategy was given.
      expect(subs.reduce((sum, b) => sum + b.cash, 0) + 1_000).toBeCloseTo(snapshot.cash, 6);
    }
    const final = run.final!.summary;
    const subEquity = Object.values(byStrategy).reduce((sum, s) => sum + s.finalEquity, 0);
    expect(subEquity + 1_000).toBeCloseTo(final.finalEquity, 6);
    const trades = Object.values(byStrategy).reduce((sum, s) => sum + s.trades, 0);
    expect(trades).toBe(final.trades);
    expect(new Set(run.closedTrades.map((t) => t.strategy))).toEqual(new Set(['flip-flop', 'laddered']));
    // flip-flop sees laddered's position as the symbol's and signals its exit: refused, it is not flip-flop's.
    const notOwner = run.denials.filter((d) => d.denial.code === 'not-owner');
    expect(notOwner.length).toBeGreaterThan(0);
    expect(notOwner[0]!.denial.message).toMatch(/the position is laddered's, and flip-flop trades its own sub-ledger only|the position is flip-flop's, and laddered trades/);
    // Every signal's sell came from the strategy that owned the position.
    const owners = new Map<string, string>();
    for (const { order, fill } of run.fills) {
      if (fill.side === 'buy' && !owners.has(fill.symbol)) owners.set(fill.symbol, order.origin);
      else if (fill.side === 'sell' && order.reason === 'signal') expect(order.origin).toBe(owners.get(fill.symbol));
      if (fill.side === 'sell' && run.closedTrades.some((t) => t.exitTime === fill.time && t.symbol === fill.symbol)) owners.delete(fill.symbol);
    }
    const again = await runPaper({ strategiesDir: APP_STRATEGIES, env: ENV });
    expect(tradesCsv(again.closedTrades)).toBe(tradesCsv(run.closedTrades));
  });

  it('refuses to start when a strategy run has no share, naming both keys', async () => {
    await expect(runPaper({ strategiesDir: APP_STRATEGIES, env: { ...ENV, BOT_PORTFOLIO_ALLOCATIONS: '{"flip-flop":70}' } })).rejects.toThrow(
      'analysis.strategies runs laddered, but portfolio.allocations gives it no capital',
    );
  });

  it('moves capital between the strategies back to their allocations when a rebalance is set, from free cash only', async () => {
    const run = await runPaper({ strategiesDir: APP_STRATEGIES, keepMessages: true, env: { ...ENV, BOT_TRADE_STAKE: '50%', BOT_PORTFOLIO_REBALANCE: '{"thresholdPct":1,"every":"2h"}' } });
    const moves = run.messages.filter((m) => m.topic === 'portfolio.reallocated').map((m) => m.payload as Reallocated);
    expect(moves.length).toBeGreaterThan(3);
    expect(new Set(moves.map((m) => m.reason))).toEqual(new Set(['threshold', 'every']));
    for (const move of moves) expect(Math.abs(move.transfers.reduce((sum, t) => sum + t.amount, 0))).toBeLessThan(1e-6);
    const byStrategy = run.final!.summary.byStrategy!;
    expect(byStrategy['flip-flop']!.transferredIn + byStrategy['laddered']!.transferredIn).toBeCloseTo(0, 6);
    expect(byStrategy['flip-flop']!.transferredIn).not.toBe(0);
    // The account is still the sub-ledgers plus the unallocated 1,000, and no sub-ledger's cash went below 0.
    for (const snapshot of run.afterFills) for (const b of Object.values(snapshot.strategies!)) expect(b.cash).toBeGreaterThanOrEqual(-1e-6);
    const subEquity = Object.values(byStrategy).reduce((sum, b) => sum + b.finalEquity, 0);
    expect(subEquity + 1_000).toBeCloseTo(run.final!.summary.finalEquity, 6);
  });

  it('refuses asset targets beside sub-ledgers, and a bot with nothing to trade on', async () => {
    const rebalance = '{"targets":{"BTC":40,"ETH":40,"USDT":20}}';
    await expect(runPaper({ strategiesDir: APP_STRATEGIES, env: { ...ENV, BOT_PORTFOLIO_REBALANCE: rebalance } })).rejects.toThrow(
      'portfolio.rebalance.targets must be left out with portfolio.allocations',
    );
    await expect(runPaper({ strategiesDir: APP_STRATEGIES, env: { ...ENV, BOT_PORTFOLIO_ALLOCATIONS: '{}', BOT_PORTFOLIO_REBALANCE: '{"thresholdPct":5}' } })).rejects.toThrow(
      'portfolio.rebalance has no targets: give BTC, ETH, USDT their weights, or set portfolio.allocations',
    );
    await expect(runPaper({ strategiesDir: APP_STRATEGIES, env: { ...ENV, BOT_ANALYSIS_STRATEGIES: '', BOT_PORTFOLIO_ALLOCATIONS: '{}' } })).rejects.toThrow(
      'analysis.strategies is empty and portfolio.rebalance is null',
    );
  });

  it('gives a backtest the same sub-ledger as the paper run of the same candles, twice alike', async () => {
    const env = { BOT_PORTFOLIO_ALLOCATIONS: '{"laddered":60}' };
    const paper = await runPaper({
      keepMessages: true,
      strategiesDir: APP_STRATEGIES,
      env: { ...ENV, ...env, BOT_MARKET_SYMBOLS: 'BTC/USDT', BOT_MARKET_SIMULATED_TICKS_PER_CANDLE: '1', BOT_ANALYSIS_STRATEGIES: 'laddered', BOT_STRATEGY_PARAMS: '{}', BOT_TRADE_SLIPPAGE_BPS: '5', BOT_RUN_CANDLES: '2000' },
    });
    const candles = paper.messages.filter((m) => m.topic === 'market.candles').flatMap((m) => (m.payload as MarketPeriod).candles);
    const settings = { strategy: 'laddered', params: {}, stake: 'all', fee: '0.001', slippageBps: '5', balance: '10000' };
    const run = await backtest([seriesOf('paper-run', candles)], settings, APP_STRATEGIES, env);
    expect(run.final.closedTrades.length).toBeGreaterThan(10);
    expect(run.final.closedTrades).toEqual(paper.closedTrades);
    expect(run.final.summary.byStrategy).toEqual(paper.final!.summary.byStrategy);
    // All of laddered's own cash, 6,000 of the 10,000, on each entry.
    expect(paper.fills.find((f) => f.fill.side === 'buy')!.order.quoteAmount).toBeCloseTo(6_000, 6);
    const again = await backtest([seriesOf('paper-run', candles)], settings, APP_STRATEGIES, env);
    expect(tradesCsv(again.final.closedTrades)).toBe(tradesCsv(run.final.closedTrades));
  });
});
