import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EquityColumns } from './equity-curve';

/**
 * Curves shorter than this are written by the calling thread: a thread takes some 0.03 s to start, about
 * what 100,000 rows of equity.csv take to print.
 */
export const EQUITY_THREAD_FROM_POINTS = 100_000;

/**
 * Writes equity.csv on a thread of its own while the caller writes the other files: on 657,410 candles its
 * rows are half the outputs' time. Undefined when it is not worth a thread (a short curve, one core) or
 * cannot have one: from the TypeScript sources there is no compiled worker to start, and the columns must
 * lie in shared memory (EquityCurve.columns()) for the thread to read them without a copy.
 */
export function writeEquityCsvInThread(file: string, columns: EquityColumns): Promise<void> | undefined {
  if (columns.length < EQUITY_THREAD_FROM_POINTS || os.availableParallelism() < 2 || !__filename.endsWith('.js')) return undefined;
  if (![columns.time, columns.equity, columns.drawdownPct].every((array) => array.buffer instanceof SharedArrayBuffer)) return undefined;
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'equity-csv-worker.js'), { workerData: { file, columns } });
    let answered = false;
    worker.once('message', (answer: { error?: string }) => {
      answered = true;
      if (answer.error === undefined) resolve();
      else reject(new Error(`writing ${file} failed: ${answer.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the thread writing ${file} stopped with exit code ${code} before it was done`));
    });
  });
}
