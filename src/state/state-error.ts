import { ExitCode, UserError } from '../core/errors';

/**
 * A state file the bot cannot use, in one sentence naming the file: exit 2 when the file is not one the bot
 * can read (not SQLite, another program's, a newer version), exit 1 when writing to it failed while running
 * (read-only, disk full). Either way the file is left as it was.
 */
export class StateError extends UserError {
  override readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = ExitCode.badUsage) {
    super(message);
    this.name = 'StateError';
    this.exitCode = exitCode;
  }
}

/** SQLite's error code, when `err` is one of better-sqlite3's errors. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** What a failed write means for the user, as the end of a sentence about `file`. */
export function writeFailure(file: string, err: unknown): StateError {
  const code = sqliteCode(err) ?? '';
  const why = code.startsWith('SQLITE_FULL')
    ? 'the disk (or the file\'s size limit) is full'
    : code.startsWith('SQLITE_READONLY')
      ? 'the file is read-only'
      : code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')
        ? `it could not be written (${code})`
        : err instanceof Error
          ? err.message
          : String(err);
  return new StateError(`the state file ${file} could not be written: ${why}; it keeps the state of its last complete write`, ExitCode.runtimeFailure);
}
