import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../core/errors';
import { StateError } from './state-error';

/**
 * One running bot per state file: `<file>.lock` holds the pid of the process writing it. A lock whose
 * process is gone (a crash, kill -9) is taken over; one whose process runs is refused, as two bots
 * writing one account would each overwrite the other's books. Readers (state show, state backup) take none.
 */
export function lockStateFile(file: string, options: { heldElsewhere?: boolean } = {}): () => void {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StateError(`the state file ${file} cannot be locked (${lock}): ${(err as Error).message}`, ExitCode.runtimeFailure);
      }
      const holder = Number(fs.readFileSync(lock, 'utf8').trim());
      // The trade side's Redis lock is ours (cluster/trade-leadership.ts): a pid from another container or
      // machine says nothing here, and whoever wrote it has lost the lead.
      if (!options.heldElsewhere && holder !== process.pid && isRunning(holder)) {
        throw new StateError(`the state file ${file} is in use by another running bot (pid ${holder}); stop it first, or use another file with --state`, ExitCode.runtimeFailure);
      }
      // The process that held it is gone: its lock is stale.
      fs.rmSync(lock, { force: true });
    }
  }
  throw new StateError(`the state file ${file} could not be locked: another bot took it at the same moment`, ExitCode.runtimeFailure);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
