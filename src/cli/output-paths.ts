import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors';

/** A place a command will write to: a directory it fills, or a file it creates or replaces. */
export interface OutputPath {
  /** How the user set it, for the message: the flag (`--out`) or the config key (`run.out`). */
  label: string;
  path: string;
  kind: 'directory' | 'file';
}

/**
 * Checks, before any work starts, that every output can be written: an existing path is of the right kind
 * and writable, a missing one can be created (its nearest existing ancestor is a writable directory).
 * Throws a UserError (exit 2) naming the label and the path; creates nothing.
 */
export function checkOutputPaths(outputs: readonly OutputPath[]): void {
  for (const output of outputs) {
    try {
      checkOutputPath(output);
    } catch (err) {
      if (err instanceof UserError) throw err;
      // EACCES on a directory of the path, say: the path cannot even be looked at.
      throw new UserError(`${output.label} ${output.path} cannot be checked (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
}

function checkOutputPath({ label, path: given, kind }: OutputPath): void {
  const target = path.resolve(given);
  const stat = statOf(target);
  if (stat !== undefined) {
    if (kind === 'directory' && !stat.isDirectory()) throw new UserError(`${label} ${given} exists and is not a directory; give a directory to write into`);
    if (kind === 'file' && stat.isDirectory()) throw new UserError(`${label} ${given} is a directory; give a file name`);
    if (!writable(target)) throw new UserError(`${label} ${given} is not writable`);
    return;
  }
  // Missing: it is created later (mkdir -p), which needs the first ancestor that exists to be a writable directory.
  let ancestor = path.dirname(target);
  let ancestorStat = statOf(ancestor);
  while (ancestorStat === undefined && path.dirname(ancestor) !== ancestor) {
    ancestor = path.dirname(ancestor);
    ancestorStat = statOf(ancestor);
  }
  if (ancestorStat === undefined) throw new UserError(`${label} ${given} cannot be created: none of its parent directories exists`);
  if (!ancestorStat.isDirectory()) throw new UserError(`${label} ${given} cannot be created: ${ancestor} is a file, not a directory`);
  if (!writable(ancestor)) throw new UserError(`${label} ${given} cannot be created: ${ancestor} is not writable`);
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (err) {
    // ENOTDIR: a file stands where a directory of the path should be; the ancestor walk names it.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function writable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
