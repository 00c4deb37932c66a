import { main } from './main';
import { processIO } from './main-io';
import { SystemClock } from '../core/clock';

/** Runs the command the process was started with and ends the process with its exit code. */
export function runCommandLine(): void {
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
      // Should a library leave a handle open, the process must still end; this timer itself holds nothing open.
      new SystemClock().setTimeout(() => process.exit(code), 3000, { keepAlive: false });
    },
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
