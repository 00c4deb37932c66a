import fs from 'node:fs';
import path from 'node:path';
import { tradesCsv } from '../portfolio/trades-csv';
import type { BacktestSummary } from './backtest-summary';
import { equityCsvChunks } from './equity-csv';
import { writeEquityCsvInThread } from './equity-csv-thread';
import type { BacktestMetrics } from './metrics';
import { reportHtmlPieces } from './report-html';
import type { BacktestOutcome } from './run-backtest';
import { rebalancesCsv } from './rebalance-figures';
import { metricRows } from './terminal-report';
import { writePieces } from './write-pieces';

/**
 * Writes summary.json, trades.csv, equity.csv, rebalances.csv (a rebalancing run only) and report.html into
 * `dir`, in that order, each before the next is built: should a later one fail, the ones before it are on
 * disk. A long equity.csv is written on a thread of its own meanwhile (equity-csv-thread.ts), waited for
 * before this resolves, failed or not. Resolves to the paths.
 */
export async function writeBacktestOutputs(dir: string, result: { summary: BacktestSummary; outcome: BacktestOutcome; metrics: BacktestMetrics }): Promise<string[]> {
  const { summary, outcome, metrics } = result;
  fs.mkdirSync(dir, { recursive: true });
  const equityFile = path.join(dir, 'equity.csv');
  const equityThread = writeEquityCsvInThread(equityFile, outcome.curve.columns());
  const files: Array<[string, () => Iterable<string | Uint8Array>]> = [
    ['summary.json', () => [`${JSON.stringify(summary, null, 2)}\n`]],
    ['trades.csv', () => [tradesCsv(outcome.final.closedTrades)]],
    ...(equityThread === undefined ? [['equity.csv', () => equityCsvChunks(outcome.curve.columns())] as [string, () => Iterable<string | Uint8Array>]] : []),
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
  let written: string[];
  try {
    written = files.map(([name, pieces]) => {
      const file = path.join(dir, name);
      writePieces(file, pieces());
      return file;
    });
  } catch (err) {
    // The thread's file is finished (or has failed) before the error goes on: nothing writes after the command ends.
    await equityThread?.catch(() => undefined);
    throw err;
  }
  if (equityThread === undefined) return written;
  await equityThread;
  return [...written.slice(0, 2), equityFile, ...written.slice(2)];
}
