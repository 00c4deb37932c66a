import fs from 'node:fs';
import path from 'node:path';
import { tradesCsv } from '../portfolio/trades-csv';
import type { BacktestSummary } from './backtest-summary';
import { equityCsvChunks } from './equity-csv';
import type { BacktestMetrics } from './metrics';
import { reportHtmlPieces } from './report-html';
import type { BacktestOutcome } from './run-backtest';
import { rebalancesCsv } from './rebalance-figures';
import { metricRows } from './terminal-report';

/**
 * Writes summary.json, trades.csv, equity.csv, rebalances.csv (a rebalancing run only) and report.html into `dir`, in that order, each before the
 * next is built: should a later one fail, the ones before it are on disk. Returns the paths.
 */
export function writeBacktestOutputs(dir: string, result: { summary: BacktestSummary; outcome: BacktestOutcome; metrics: BacktestMetrics }): string[] {
  const { summary, outcome, metrics } = result;
  fs.mkdirSync(dir, { recursive: true });
  const files: Array<[string, () => Iterable<string | Uint8Array>]> = [
    ['summary.json', () => [`${JSON.stringify(summary, null, 2)}\n`]],
    ['trades.csv', () => [tradesCsv(outcome.final.closedTrades)]],
    ['equity.csv', () => equityCsvChunks(outcome.curve.columns())],
    // Only a rebalancing run has rows to write: other runs write the files they always did.
    ...(summary.rebalances !== undefined ? [['rebalances.csv', () => [rebalancesCsv(outcome.rebalances)]] as [string, () => Iterable<string | Uint8Array>]] : []),
    [
      'report.html',
      () =>
        reportHtmlPieces({
          title: `${summary.strategy} on ${summary.symbols.join(', ')} ${summary.timeframe}, ${summary.from} -> ${summary.to}`,
          candles: Object.fromEntries(outcome.played),
          trades: outcome.final.closedTrades,
          equity: outcome.curve.columns(),
          metrics: metricRows(metrics),
        }),
    ],
  ];
  return files.map(([name, pieces]) => {
    const file = path.join(dir, name);
    writePieces(file, pieces());
    return file;
  });
}

function writePieces(file: string, pieces: Iterable<string | Uint8Array>): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const piece of pieces) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      // writeSync may write less than it was given; writeFileSync loops the same way.
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    }
  } finally {
    fs.closeSync(fd);
  }
}
