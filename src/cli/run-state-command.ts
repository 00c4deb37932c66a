import fs from 'node:fs';
import path from 'node:path';
import { stateFileOf } from '../app/open-state';
import { loadConfig } from '../config/load-config';
import { ExitCode, UserError } from '../core/errors';
import { exportState } from '../state/export-state';
import { Journal } from '../state/journal';
import { formatStateReport, readStateReport } from '../state/state-report';
import type { CommonOptions } from './common-options';
import type { MainIO } from './main-io';

export type StateAction = 'show' | 'export' | 'backup';

export interface StateOptions extends CommonOptions {
  state?: string;
  out?: string;
}

/** Events `state show` lists. */
const SHOWN_EVENTS = 20;

/**
 * `state show|export|backup`: reads a run's state file without writing to it (a running bot may go on
 * writing it meanwhile). The file is --state, or the config's `state.file`, or state/<mode>.sqlite.
 */
export async function runStateCommand(action: StateAction, options: StateOptions, io: MainIO): Promise<number> {
  const { config } = loadConfig({
    defaultFile: path.join(io.projectRoot, 'config', 'default.json'),
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    env: io.env,
    flags: { 'state.file': options.state },
    flagNames: { 'state.file': '--state' },
  });
  const file = stateFileOf(config, config.mode);
  if (file === undefined) throw new UserError('--state none names no state file: give the file to read with --state <file>');
  const out = action === 'show' ? undefined : requireOut(action, options.out);
  const journal = Journal.open(file, { readonly: true, keepEvents: config.state.keepEvents });
  try {
    if (action === 'show') {
      io.stdout.write(formatStateReport(readStateReport(journal, SHOWN_EVENTS)));
    } else if (action === 'export') {
      const written = exportState(readStateReport(journal, -1), out!);
      io.stdout.write(`wrote ${written.join(', ')}\n`);
    } else {
      await journal.backup(out!);
      io.stdout.write(`wrote a copy of ${file} to ${out}\n`);
    }
  } finally {
    journal.close();
  }
  return ExitCode.ok;
}

function requireOut(action: 'export' | 'backup', out: string | undefined): string {
  if (out === undefined || out === '') throw new UserError(`state ${action} needs --out <${action === 'export' ? 'dir' : 'file'}>`);
  if (action === 'backup' && fs.existsSync(out)) throw new UserError(`--out ${out} exists already; a backup is written to a new file`);
  if (action === 'export' && fs.existsSync(out) && !fs.statSync(out).isDirectory()) throw new UserError(`--out ${out} is a file, not a directory to export into`);
  return out;
}
