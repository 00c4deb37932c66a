import fs from 'node:fs';
import path from 'node:path';
import { tradesCsv } from '../portfolio/trades-csv';
import type { BacktestSummary } from './backtest-summary';
import { equityCsv } from './equity-csv';
import type { BacktestMetrics } from './metrics';
import { renderReportHtml } from './report-html';
import type { BacktestOutcome } from './run-backtest';
import { metricRows } from './terminal-report';

/** Writes summary.json, trades.csv, equity.csv and report.html into `dir`; returns the paths. */
export function writeBacktestOutputs(dir: string, result: { summary: BacktestSummary; outcome: BacktestOutcome; metrics: BacktestMetrics }): string[] {
  const { summary, outcome, metrics } = result;
  fs.mkdirSync(dir, { recursive: true });
  const files: Array<[string, string]> = [
    ['summary.json', `${JSON.stringify(summary, null, 2)}\n`],
    ['trades.csv', tradesCsv(outcome.final.closedTrades)],
    ['equity.csv', equityCsv(outcome.curve.points())],
    [
      'report.html',
      renderReportHtml({
        title: `${summary.strategy} on ${summary.symbols.join(', ')} ${summary.timeframe}, ${summary.from} -> ${summary.to}`,
        candles: Object.fromEntries(outcome.played),
        trades: outcome.final.closedTrades,
        equity: outcome.curve.points(),
        metrics: metricRows(metrics),
      }),
    ],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
