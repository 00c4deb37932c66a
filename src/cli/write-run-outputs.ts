import fs from 'node:fs';
import path from 'node:path';
import type { PortfolioFinal } from '../portfolio/summary';
import { tradesCsv } from '../portfolio/trades-csv';

/** Writes summary.json and trades.csv into `dir` (created if needed); returns the paths written. */
export function writeRunOutputs(dir: string, final: PortfolioFinal, extra: Record<string, unknown>): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const summaryPath = path.join(dir, 'summary.json');
  const tradesPath = path.join(dir, 'trades.csv');
  fs.writeFileSync(summaryPath, `${JSON.stringify({ ...final.summary, ...extra }, null, 2)}\n`);
  fs.writeFileSync(tradesPath, tradesCsv(final.closedTrades));
  return [summaryPath, tradesPath];
}
