/**
 * Profit sharing runs in the same agents in a backtest and in paper trading: a paper run and a backtest of
 * the same candles charge the same fees at the same month ends, and a backtest repeated writes byte-identical
 * outputs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBacktestConfig } from '../../src/backtest/backtest-config';
import { backtestSummary } from '../../src/backtest/backtest-summary';
import { outcomeMetrics } from '../../src/backtest/outcome-metrics';
import { runBacktest } from '../../src/backtest/run-backtest';
import { writeBacktestOutputs } from '../../src/backtest/write-backtest-outputs';
import type { MarketPeriod, ProfitShared } from '../../src/bus/topics';
import type { CandleSeries } from '../../src/market/candle-file';
import { seriesOf } from '../helpers/backtest-harness';
import { MemoryLogger } from '../helpers/memory-logger';
import { replayablePaperEnv, runPaper } from '../helpers/run-paper';
import { DEFAULT_CONFIG_FILE, STRATEGIES_DIR } from '../helpers/test-app';

const CANDLES = 3000;
const PROFIT_SHARE = JSON.stringify({ period: 'month', tiers: [{ upToPct: 1, sharePct: 10 }, { upToPct: 3, sharePct: 20 }, { sharePct: 30 }] });
const SETTINGS = { strategy: 'sma-cross', params: { fast: 5, slow: 20 }, stake: 'all', fee: '0.001', slippageBps: '5', balance: '10000' };

async function backtestWithShare(series: CandleSeries[], out: string): Promise<{ files: Record<string, string>; events: ProfitShared[] }> {
  const loaded = loadBacktestConfig(
    { symbols: series.map((s) => s.symbol), timeframe: series[0]!.timeframe, out, ...SETTINGS },
    { defaultFile: DEFAULT_CONFIG_FILE, env: { BOT_LOG_TO_FILE: 'false', BOT_PORTFOLIO_PROFIT_SHARE: PROFIT_SHARE } },
  );
  const events: ProfitShared[] = [];
  const outcome = await runBacktest({
    loaded,
    series,
    range: {},
    strategiesDir: STRATEGIES_DIR,
    logger: new MemoryLogger(),
    observe: (bus) => bus.subscribe('test', 'portfolio.profitShared', ({ payload }) => void events.push(payload)),
  });
  const metrics = outcomeMetrics(outcome, loaded);
  const summary = backtestSummary({ strategy: SETTINGS.strategy, series, outcome, metrics, startBalance: 10_000 });
  const written = await writeBacktestOutputs(out, { summary, outcome, metrics });
  return { files: Object.fromEntries(written.map((f) => [path.basename(f), fs.readFileSync(f, 'utf8')])), events };
}

describe('profit sharing in backtests and paper runs', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profit-share-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('charges the same fees in a paper run and a backtest of the same candles, and a backtest twice writes the same bytes', async () => {
    const paper = await runPaper({
      keepMessages: true,
      env: replayablePaperEnv(CANDLES, { BOT_MARKET_TIMEFRAME: '1h', BOT_PORTFOLIO_PROFIT_SHARE: PROFIT_SHARE }),
    });
    const candles = paper.messages.filter((m) => m.topic === 'market.candles').flatMap((m) => (m.payload as MarketPeriod).candles);
    const paperEvents = paper.messages.filter((m) => m.topic === 'portfolio.profitShared').map((m) => m.payload as ProfitShared);
    expect(candles).toHaveLength(CANDLES);
    // 3,000 hours from 1 January: the ends of January to April.
    expect(paperEvents.map((e) => new Date(e.periodEnd).toISOString().slice(0, 10))).toEqual(['2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01']);

    const series = [seriesOf('paper-run', candles)];
    const first = await backtestWithShare(series, path.join(dir, 'first'));
    const second = await backtestWithShare(series, path.join(dir, 'second'));
    expect(first.events).toHaveLength(paperEvents.length);
    first.events.forEach((e, i) => {
      expect(e.periodEnd).toBe(paperEvents[i]!.periodEnd);
      expect(e.fee).toBeCloseTo(paperEvents[i]!.fee, 9);
    });
    const summary = JSON.parse(first.files['summary.json']!) as { profitShare: { profitShared: number } };
    expect(summary.profitShare.profitShared).toBeCloseTo(paper.final!.summary.profitShare!.profitShared, 9);
    expect(second.files).toEqual(first.files);
  });
});
