import type { TrialResult, TrialTask } from './trial-runner';

/** Main thread -> worker. */
export type ToWorker = { type: 'run'; task: TrialTask };

/** Worker -> main thread. `user`: the error is the user's (a UserError), so the command exits 2. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; result: TrialResult }
  | { type: 'error'; id: number; message: string; user: boolean }
  | { type: 'fatal'; message: string; user: boolean }
  | { type: 'log'; text: string };
