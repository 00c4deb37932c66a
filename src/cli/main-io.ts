import type { FileWatcher } from '../config/watch-file';
import { pollFile } from '../config/watch-file';
import { projectRoot } from '../boot/compiled-build';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Everything main touches in the outside world, so tests can run it in-process. */
export interface MainIO {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  signals: {
    on(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
    off(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  };
  /** Ends the process at once: used when a second Ctrl-C asks for a forced exit. */
  exit: (code: number) => void;
  /** Where package.json and config/default.json live. */
  projectRoot: string;
  watchFile?: FileWatcher;
}

export function processIO(): MainIO {
  return {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signals: process,
    exit: (code) => process.exit(code),
    projectRoot: projectRoot(),
    watchFile: pollFile,
  };
}
