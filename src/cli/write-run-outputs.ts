import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../core/write-file-atomically';
import type { PortfolioFinal, RunSummary } from '../portfolio/summary';
import { tradesCsv } from '../portfolio/trades-csv';

/** The text of a paper run's summary.json: the portfolio's figures and the run's own (seed, symbols...). */
export function runSummaryJson(summary: RunSummary, extra: Record<string, unknown>): string {
  return `${JSON.stringify({ ...summary, ...extra }, null, 2)}\n`;
}

/** Writes summary.json and trades.csv into `dir` (created if needed), each atomically; returns the paths written. */
export function writeRunOutputs(dir: string, final: PortfolioFinal, extra: Record<string, unknown>): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const summaryPath = path.join(dir, 'summary.json');
  const tradesPath = path.join(dir, 'trades.csv');
  writeFileAtomically(summaryPath, runSummaryJson(final.summary, extra));
  writeFileAtomically(tradesPath, tradesCsv(final.closedTrades));
  return [summaryPath, tradesPath];
}
