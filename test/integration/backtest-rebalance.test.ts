/**
 * Rebalancing runs in the same agents in a backtest and in paper trading: a paper run and a backtest of the
 * same candles trade the same legs, and a backtest repeated writes byte-identical outputs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBacktestConfig } from '../../src/backtest/backtest-config';
import { backtestSummary } from '../../src/backtest/backtest-summary';
import { outcomeMetrics } from '../../src/backtest/outcome-metrics';
import { runBacktest } from '../../src/backtest/run-backtest';
import { writeBacktestOutputs } from '../../src/backtest/write-backtest-outputs';
import type { MarketPeriod, RebalanceCompleted } from '../../src/bus/topics';
import type { CandleSeries } from '../../src/market/candle-file';
import { SimulatedMarket } from '../../src/market/simulated-market';
import type { Candle } from '../../src/market/types';
import { seriesOf } from '../helpers/backtest-harness';
import { MemoryLogger } from '../helpers/memory-logger';
import { replayablePaperEnv, runPaper } from '../helpers/run-paper';
import { DEFAULT_CONFIG_FILE, STRATEGIES_DIR } from '../helpers/test-app';

const ONE_SYMBOL = { targets: { BTC: 60, USDT: 40 }, thresholdPct: 2, every: '1d', minTradeQuote: 10 };
const TWO_SYMBOLS = { targets: { BTC: 50, ETH: 30, USDT: 20 }, thresholdPct: 3, every: '7d', minTradeQuote: 10 };

async function rebalancingBacktest(series: CandleSeries[], rebalance: unknown, out: string): Promise<{ files: Record<string, string>; done: RebalanceCompleted[] }> {
  const loaded = loadBacktestConfig(
    { symbols: series.map((s) => s.symbol), timeframe: series[0]!.timeframe, out, params: {}, rebalance, fee: '0.001', slippageBps: '5', balance: '10000' },
    { defaultFile: DEFAULT_CONFIG_FILE, env: { BOT_LOG_TO_FILE: 'false' } },
  );
  const outcome = await runBacktest({ loaded, series, range: {}, strategiesDir: STRATEGIES_DIR, logger: new MemoryLogger() });
  const metrics = outcomeMetrics(outcome, loaded);
  const summary = backtestSummary({ strategy: 'rebalance', series, outcome, metrics, startBalance: 10_000, rebalance: loaded.config.portfolio.rebalance });
  const written = await writeBacktestOutputs(out, { summary, outcome, metrics });
  return { files: Object.fromEntries(written.map((f) => [path.basename(f), fs.readFileSync(f, 'utf8')])), done: outcome.rebalances };
}

function generated(symbols: string[], periods: number): CandleSeries[] {
  const market = new SimulatedMarket({ seed: 11, symbols, timeframe: '1h', startTime: Date.UTC(2024, 0, 1), ticksPerCandle: 1, startPrices: {} });
  const bySymbol = new Map<string, Candle[]>(symbols.map((s) => [s, []]));
  for (let i = 0; i < periods; i++) for (const e of market.next()) if (e.kind === 'candle') bySymbol.get(e.candle.symbol)!.push(e.candle);
  return symbols.map((s) => seriesOf(`${s}.generated`, bySymbol.get(s)!));
}

describe('rebalancing in backtests and paper runs', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rebalance-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('trades the same legs in a paper run without strategies and in a backtest of the same candles', async () => {
    const paper = await runPaper({
      keepMessages: true,
      env: replayablePaperEnv(1500, { BOT_MARKET_TIMEFRAME: '1h', BOT_ANALYSIS_STRATEGIES: '', BOT_PORTFOLIO_REBALANCE: JSON.stringify(ONE_SYMBOL) }),
    });
    const candles = paper.messages.filter((m) => m.topic === 'market.candles').flatMap((m) => (m.payload as MarketPeriod).candles);
    const paperDone = paper.messages.filter((m) => m.topic === 'rebalance.completed').map((m) => m.payload as RebalanceCompleted);
    expect(paperDone.length).toBeGreaterThan(20);
    const run = await rebalancingBacktest([seriesOf('paper-run', candles)], ONE_SYMBOL, path.join(dir, 'one'));
    expect(run.done).toEqual(paperDone);
    expect(JSON.parse(run.files['summary.json']!).finalEquity).toBeCloseTo(paper.final!.summary.finalEquity, 9);
  });

  it('writes byte-identical outputs for two backtests of two symbols', async () => {
    const series = generated(['BTC/USDT', 'ETH/USDT'], 3000);
    const first = await rebalancingBacktest(series, TWO_SYMBOLS, path.join(dir, 'a'));
    const second = await rebalancingBacktest(series, TWO_SYMBOLS, path.join(dir, 'b'));
    expect(Object.keys(first.files).sort()).toEqual(['equity.csv', 'rebalances.csv', 'report.html', 'summary.json', 'trades.csv']);
    expect(second.files).toEqual(first.files);
    const summary = JSON.parse(first.files['summary.json']!);
    expect(summary.rebalances).toBeGreaterThan(5);
    expect(summary.turnoverPct).toBeGreaterThan(0);
    expect(typeof summary.holdReturnPct).toBe('number');
    expect(first.files['rebalances.csv']!.split('\n')[0]).toBe('time,asset,side,qty,price,fee,weightBeforePct,weightAfterPct');
  });
});
