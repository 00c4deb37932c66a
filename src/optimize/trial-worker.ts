/**
 * The body of an optimizer worker thread: takes the candles from workerData (shared memory), then runs the
 * trials the pool sends, one at a time, and answers each with its result or its error.
 */
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { SystemClock } from '../core/clock';
import { UserError, errorMessage } from '../core/errors';
import { createLogger } from '../logging/logger';
import { Redactor } from '../logging/redactor';
import { prepareTrials, runTrial, type TrialContext, type WorkerInit } from './trial-runner';
import type { FromWorker, ToWorker } from './worker-messages';

function post(port: NonNullable<typeof parentPort>, message: FromWorker): void {
  port.postMessage(message);
}

function start(port: NonNullable<typeof parentPort>): void {
  const init = workerData as WorkerInit;
  let context: TrialContext;
  try {
    // Log lines go to the main thread, which writes them where the command's output goes.
    const stream = new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        post(port, { type: 'log', text: chunk.toString() });
        done();
      },
    });
    const logger = createLogger({
      level: init.loaded.config.log.level,
      clock: new SystemClock(),
      redactor: new Redactor(init.loaded.secrets),
      console: { stream, color: false },
    });
    context = prepareTrials(init, logger);
  } catch (err) {
    // The worker stays up (listening) until the pool ends it, so the message arrives before any exit.
    post(port, { type: 'fatal', message: errorMessage(err), user: err instanceof UserError });
    port.on('message', () => undefined);
    return;
  }
  port.on('message', (message: ToWorker) => {
    if (message.type !== 'run') return;
    const { task } = message;
    runTrial(context, task).then(
      (result) => post(port, { type: 'result', result }),
      (err: unknown) => post(port, { type: 'error', id: task.id, message: errorMessage(err), user: err instanceof UserError }),
    );
  });
  post(port, { type: 'ready' });
}

if (parentPort) start(parentPort);
