/**
 * The body of the thread that writes a long backtest's equity.csv (equity-csv-thread.ts): the curve's columns
 * come as views of shared memory, so nothing is copied; the answer is {} or { error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../core/errors';
import { equityCsvChunks } from './equity-csv';
import type { EquityColumns } from './equity-curve';
import { writePieces } from './write-pieces';

const { file, columns } = workerData as { file: string; columns: EquityColumns };
try {
  writePieces(file, equityCsvChunks(columns));
  parentPort!.postMessage({});
} catch (err) {
  parentPort!.postMessage({ error: errorMessage(err) });
}
