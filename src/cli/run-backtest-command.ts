import { outcomeMetrics } from '../backtest/outcome-metrics';
import { compactTimestamp, pick } from './option-values';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { loadBacktestConfig } from '../backtest/backtest-config';
import { backtestSummary, type BacktestSummary } from '../backtest/backtest-summary';
import { runBacktest } from '../backtest/run-backtest';
import { minNotionalStallText } from '../backtest/min-notional-stall';
import { asciiEquityChart, formatMetricsTable } from '../backtest/terminal-report';
import { writeBacktestOutputs } from '../backtest/write-backtest-outputs';
import { SystemClock } from '../core/clock';
import { UserError, errorMessage } from '../core/errors';
import type { CandleSeries } from '../market/candle-file';
import { loadSeriesFiles, seriesFiles } from '../backtest/load-series';
import type { BacktestOptions } from './backtest-options';
import type { MainIO } from './main-io';
import { openLogger } from './open-logger';
import { checkOutputPaths } from './output-paths';
import { parseRebalanceFlag } from './rebalance-flag';
import { parseTimeFlag } from './time-flag';
import { phaseTimes } from './phase-times';

/** `backtest`: loads the candle files, plays them through the agents, prints and writes the results. */
export async function runBacktestCommand(options: BacktestOptions, io: MainIO): Promise<number> {
  const clock = new SystemClock();
  const name = options.strategy ?? 'rebalance';
  const out = options.out ?? path.join('backtests', `${name}-${compactTimestamp(clock.now())}`);
  // Before the candles load and play: a --out that cannot be written must not cost the user the run.
  checkOutputPaths([{ label: '--out', path: out, kind: 'directory' }]);
  const loadStart = clock.now();
  const series = loadSeries(options);
  const loadMs = clock.now() - loadStart;
  const range = {
    ...(options.from !== undefined ? { from: parseTimeFlag('--from', options.from) } : {}),
    ...(options.to !== undefined ? { to: parseTimeFlag('--to', options.to, { wholeDay: true }) } : {}),
  };
  if (options.strategy === undefined && options.rebalance === undefined) {
    throw new UserError('backtest needs --strategy <name>, --rebalance <json or file>, or both');
  }
  const rebalance = options.rebalance === undefined ? undefined : parseRebalanceFlag(options.rebalance);
  const loaded = loadBacktestConfig(
    {
      ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
      ...(rebalance !== undefined ? { rebalance } : {}),
      params: parseParams(options.params),
      symbols: series.map((s) => s.symbol),
      files: series.map((s) => s.file),
      timeframe: series[0]!.timeframe,
      out,
      ...pick(options, ['balance', 'fee', 'slippageBps', 'stake', 'stopLoss', 'takeProfit', 'logLevel']),
    },
    {
      defaultFile: path.join(io.projectRoot, 'config', 'default.json'),
      ...(options.config !== undefined ? { configFile: options.config } : {}),
      env: io.env,
    },
  );
  const logger = openLogger(loaded, clock, io.stdout);
  try {
    for (const s of series) {
      if (s.gaps.length > 0) io.stdout.write(`${s.file}: ${s.gaps.length} gap(s) in ${s.symbol}, ${s.gaps.reduce((n, g) => n + g.missing, 0)} candles missing\n`);
    }
    const bar = io.stderr.isTTY ? new SingleBar({ stream: io.stderr, format: 'backtest [{bar}] {percentage}% {value}/{total} candles', hideCursor: true }) : undefined;
    let barStarted = false;
    // --duration is a time limit here: the backtest stops and reports on the candles it played.
    const deadline = options.duration !== undefined && options.duration > 0 ? clock.now() + options.duration * 1000 : Infinity;
    const runStart = clock.now();
    const outcome = await runBacktest({
      shouldStop: () => clock.now() >= deadline,
      loaded,
      series,
      range,
      strategiesDir: path.join(io.projectRoot, 'strategies'),
      logger,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!barStarted) {
          bar.start(total, 0);
          barStarted = true;
        }
        bar.update(done);
      },
    });
    bar?.stop();
    const runMs = clock.now() - runStart;
    const outputStart = clock.now();
    const metrics = outcomeMetrics(outcome, loaded);
    const summary = backtestSummary({ strategy: name, series, outcome, metrics, startBalance: loaded.config.portfolio.startBalance, rebalance: loaded.config.portfolio.rebalance });
    const written = await writeBacktestOutputs(out, { summary, outcome, metrics });
    const context = { strategy: summary.strategy, symbols: summary.symbols.join(', '), timeframe: summary.timeframe, from: summary.from, to: summary.to, candles: summary.candles };
    io.stdout.write(`\n${formatMetricsTable(metrics, { ...context, ...rebalanceRows(summary) })}\n\n`);
    io.stdout.write(minNotionalStallText(outcome.belowMinNotional));
    io.stdout.write(`${asciiEquityChart(outcome.curve.columns())}\n\n`);
    if (outcome.stoppedEarly) io.stdout.write(`stopped by --duration after ${outcome.periods} of ${outcome.market.periods} candles\n`);
    const outputMs = clock.now() - outputStart;
    io.stdout.write(`wrote ${written.map((f) => path.basename(f)).join(', ')} to ${out}\n`);
    // Candles, not periods: with several symbols a period holds one candle of each.
    const candlesPlayed = [...outcome.played.values()].reduce((n, c) => n + c.length, 0);
    io.stdout.write(`${phaseTimes(candlesPlayed, { loadMs, runMs, outputMs })}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UserError) throw err;
    logger.error(`backtest failed: ${errorMessage(err)}`, err instanceof Error ? { stack: err.stack } : {});
    return 1;
  } finally {
    await logger.close();
  }
}

/** A rebalancing run's figures, as rows of the terminal table; none for other runs. */
function rebalanceRows(summary: BacktestSummary): Record<string, string | number> {
  if (summary.rebalances === undefined) return {};
  return { rebalances: summary.rebalances, 'turnover': `${summary.turnoverPct!.toFixed(2)} %`, 'hold start weights': `${summary.holdReturnPct!.toFixed(2)} %` };
}

function loadSeries(options: BacktestOptions): CandleSeries[] {
  return loadSeriesFiles(seriesFiles(options.data, options.symbol, options.timeframe));
}

function parseParams(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`--params is not valid JSON (${errorMessage(err)}); give an object like '{"fast":10,"slow":30}'`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`--params must be a JSON object like '{"fast":10,"slow":30}'`);
  }
  return value as Record<string, unknown>;
}
