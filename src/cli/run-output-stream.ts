import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../core/write-file-atomically';
import type { PortfolioFinal, RunSummary } from '../portfolio/summary';
import { tradesCsv, tradesCsvRow } from '../portfolio/trades-csv';
import type { ClosedTrade } from '../portfolio/types';
import { runSummaryJson, writeRunOutputs } from './write-run-outputs';

/**
 * A paper run's --out files kept current while it runs, so a run killed with SIGKILL leaves what it had
 * done: trades.csv gains each closed trade as it closes (appended, one write a row, nothing buffered in
 * this process), summary.json is replaced whole when asked. The rows and the summary are formatted by the
 * very functions the end-of-run files are, and finish() writes those files as a run always did.
 */
export class RunOutputStream {
  private fd: number | undefined;
  private finished = false;

  private constructor(
    private readonly dir: string,
    private readonly extra: Record<string, unknown>,
  ) {}

  /**
   * Creates `dir` and starts trades.csv with the header and `earlierTrades` (a resumed run's, from its state
   * file): what a run killed before leaves behind is replaced by what the state file says was done.
   */
  static open(dir: string, earlierTrades: readonly ClosedTrade[], extra: Record<string, unknown>): RunOutputStream {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'trades.csv');
    writeFileAtomically(file, tradesCsv(earlierTrades));
    const stream = new RunOutputStream(dir, extra);
    stream.fd = fs.openSync(file, 'a');
    return stream;
  }

  appendTrade(trade: ClosedTrade): void {
    if (this.fd === undefined) return;
    const bytes = Buffer.from(tradesCsvRow(trade), 'utf8');
    // writeSync may write less than it was given; the rest follows at once.
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
  }

  /** Replaces summary.json; after finish() it does nothing, so a late summary cannot overwrite the final one. */
  writeSummary(summary: RunSummary): void {
    if (this.finished) return;
    writeFileAtomically(path.join(this.dir, 'summary.json'), runSummaryJson(summary, this.extra));
  }

  /** The end of the run: both files as the final figures have them; returns the paths written. */
  finish(final: PortfolioFinal): string[] {
    this.close();
    this.finished = true;
    return writeRunOutputs(this.dir, final, this.extra);
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
