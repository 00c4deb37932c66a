/**
 * A pool of worker threads that run trials. Each worker gets the candles the main thread loaded (at start,
 * in the init data, shared rather than copied) and then runs one trial at a time; the pool sends a worker its next trial when it answers,
 * so fast and slow trials balance out. Results are kept by task position, never by arrival order, so what
 * the caller sees does not depend on which worker finished first.
 *
 * Workers run the TypeScript sources when the bot does (ts-node or Jest) through worker-entry.js, which
 * registers ts-node in the worker; compiled, they run trial-worker.js. They get no execArgv of ours (a
 * `-r ts-node/register` or Jest flag is no business of theirs).
 *
 * ts-node transpiles with SWC, a native addon. Node unloads an addon when the last thread that loaded it
 * ends, and loading @swc/core again in a later worker then crashes the whole process (a segmentation
 * fault: a second optimization in one process, as in the tests or the benchmark). Loaded once by the
 * main thread, it stays loaded, so the pool loads it here before starting workers; should that fail, the
 * workers transpile with TypeScript instead (slower to start, same code).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError } from '../core/errors';
import type { TrialResult, TrialTask, WorkerInit } from './trial-runner';
import type { FromWorker, ToWorker } from './worker-messages';

export interface TrialRun {
  /** At each task's position; undefined for tasks not finished when the run was stopped. */
  results: Array<TrialResult | undefined>;
  stopped: boolean;
}

/** Runs trials somewhere: the worker pool, or in-process in a test. */
export interface TrialExecutor {
  run(tasks: readonly TrialTask[], onResult?: (result: TrialResult, done: number) => void): Promise<TrialRun>;
}

export interface WorkerPoolOptions {
  /** Log lines the workers write (already formatted, newline included). */
  onLog?: (text: string) => void;
  /** Says what a failed task was, for the error message; default: its params as JSON. */
  describeTask?: (task: TrialTask) => string;
}

interface Slot {
  worker: Worker;
  /** Position in the current run's tasks of the trial this worker runs. */
  busy: number | undefined;
}

interface CurrentRun {
  tasks: readonly TrialTask[];
  next: number;
  done: number;
  results: Array<TrialResult | undefined>;
  onResult: ((result: TrialResult, done: number) => void) | undefined;
  resolve: (run: TrialRun) => void;
  reject: (err: Error) => void;
}

export class WorkerPool implements TrialExecutor {
  readonly size: number;
  private readonly slots: Slot[];
  private current: CurrentRun | undefined;
  private failure: Error | undefined;
  private stopped = false;
  private closing = false;
  private readyCount = 0;
  private readonly readyWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  constructor(size: number, init: WorkerInit, private readonly options: WorkerPoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a worker pool needs at least one worker, got ${size}`);
    this.size = size;
    const { script, argv } = workerScript();
    this.slots = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { workerData: init, execArgv: [], argv });
      const slot: Slot = { worker, busy: undefined };
      worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
      worker.on('error', (err) => this.fail(err instanceof Error ? err : new Error(String(err))));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`an optimizer worker stopped unexpectedly (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  /** Resolves once every worker has loaded the data (benchmarks time trials without the start-up). */
  ready(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.readyCount === this.size) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  run(tasks: readonly TrialTask[], onResult?: (result: TrialResult, done: number) => void): Promise<TrialRun> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.current) return Promise.reject(new Error('the worker pool is already running trials'));
    const results = new Array<TrialResult | undefined>(tasks.length).fill(undefined);
    if (this.stopped || this.closing) return Promise.resolve({ results, stopped: true });
    if (tasks.length === 0) return Promise.resolve({ results, stopped: false });
    return new Promise<TrialRun>((resolve, reject) => {
      this.current = { tasks, next: 0, done: 0, results, onResult, resolve, reject };
      for (const slot of this.slots) this.dispatch(slot);
    });
  }

  /** Sends no more trials; the current run resolves at once with what has finished (stopped: true). */
  stop(): void {
    this.stopped = true;
    const run = this.current;
    this.current = undefined;
    run?.resolve({ results: run.results, stopped: true });
  }

  /** Ends every worker, trials in flight included. Safe to call more than once. */
  async close(): Promise<void> {
    this.stop();
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'log':
        this.options.onLog?.(message.text);
        return;
      case 'ready':
        this.readyCount += 1;
        if (this.readyCount === this.size) for (const waiter of this.readyWaiters.splice(0)) waiter.resolve();
        return;
      case 'fatal':
        this.fail(message.user ? new UserError(message.message) : new Error(`an optimizer worker failed to start: ${message.message}`));
        return;
      case 'error': {
        const run = this.current;
        const task = run !== undefined && slot.busy !== undefined ? run.tasks[slot.busy] : undefined;
        const what = task ? (this.options.describeTask?.(task) ?? `the trial with ${JSON.stringify(task.params)}`) : `trial ${message.id}`;
        this.fail(message.user ? new UserError(message.message) : new Error(`${what} failed: ${message.message}`));
        return;
      }
      case 'result': {
        const run = this.current;
        const position = slot.busy;
        slot.busy = undefined;
        if (run === undefined || position === undefined) return;
        run.results[position] = message.result;
        run.done += 1;
        run.onResult?.(message.result, run.done);
        if (this.current !== run) return; // onResult stopped the run
        if (run.done === run.tasks.length) {
          this.current = undefined;
          run.resolve({ results: run.results, stopped: false });
          return;
        }
        this.dispatch(slot);
        return;
      }
    }
  }

  private dispatch(slot: Slot): void {
    const run = this.current;
    if (run === undefined || slot.busy !== undefined || run.next >= run.tasks.length) return;
    slot.busy = run.next;
    run.next += 1;
    const message: ToWorker = { type: 'run', task: run.tasks[slot.busy]! };
    slot.worker.postMessage(message);
  }

  private fail(err: Error): void {
    if (this.failure || this.closing) return;
    this.failure = err;
    const run = this.current;
    this.current = undefined;
    run?.reject(err);
    for (const waiter of this.readyWaiters.splice(0)) waiter.reject(err);
  }
}

/** worker-entry.js (told which transpiler to use) when running from the TypeScript sources, the compiled worker otherwise. */
function workerScript(): { script: string; argv: string[] } {
  if (!__filename.endsWith('.ts')) return { script: path.join(__dirname, 'trial-worker.js'), argv: [] };
  return { script: path.join(__dirname, 'worker-entry.js'), argv: [`--transpiler=${holdSwc() ? 'swc' : 'typescript'}`] };
}

let swcHeld: boolean | undefined;

/** Loads @swc/core in this thread for good (see the top of the file); false when it cannot be loaded. */
function holdSwc(): boolean {
  if (swcHeld === undefined) {
    try {
      require('@swc/core');
      swcHeld = true;
    } catch {
      swcHeld = false;
    }
  }
  return swcHeld;
}
