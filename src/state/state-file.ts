import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ExitCode } from '../core/errors';
import { sqliteCode, StateError, writeFailure } from './state-error';

/** Marks a SQLite file as this bot's ("ATRD"), so another program's database is never taken for one. */
export const APPLICATION_ID = 0x41545244;
/** The layout this code writes; a file of a newer one is refused, an older one migrated. */
export const SCHEMA_VERSION = 1;

/** Each step brings a file from version i to i + 1, inside one transaction. */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) =>
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
      CREATE TABLE state (key TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE trades (seq INTEGER PRIMARY KEY, symbol TEXT NOT NULL, exit_time INTEGER NOT NULL, data TEXT NOT NULL);
    `),
];

export interface OpenStateOptions {
  /** Read only (`state show`, `state export`): never created, never migrated, never written. */
  readonly?: boolean;
  /**
   * fsync every commit (synchronous=FULL): what a live account needs, as a power cut must not lose an order
   * already sent. Off, a commit survives the process being killed but a power cut may lose the last ones;
   * it never corrupts the file either way (WAL).
   */
  durable?: boolean;
  /** SQLite's max_page_count: a size limit on the file (tests of a full disk). */
  maxPages?: number;
}

/**
 * Opens (or creates) a state file. Before anything is written the file is checked read-only: a file that is
 * not SQLite or is damaged, another program's database, or a newer version's is refused with one sentence
 * (exit 2) and left exactly as it was; so is a file without write permission, whoever the user.
 */
export function openStateFile(file: string, options: OpenStateOptions = {}): Database.Database {
  const exists = fs.existsSync(file) && fs.statSync(file).size > 0;
  if (!exists) {
    if (options.readonly) throw new StateError(`there is no state file at ${file}`);
    return create(file, options);
  }
  const version = check(file);
  if (options.readonly) return new Database(file, { readonly: true, fileMustExist: true });
  // Honoured even for root, who may write anyway: a user who took write permission away meant it.
  if ((fs.statSync(file).mode & 0o222) === 0) {
    throw new StateError(`the state file ${file} is read-only; give it write permission, or use another file with --state`, ExitCode.runtimeFailure);
  }
  const db = new Database(file, { fileMustExist: true });
  try {
    configure(db, options);
    migrate(db, version);
  } catch (err) {
    db.close();
    throw writeFailure(file, err);
  }
  return db;
}

/** Reads the header of an existing file without changing it; returns its schema version. */
function check(file: string): number {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw new StateError(`${file} is an SQLite database of another program, not a state file of this bot; give another file with --state`);
    if (version > SCHEMA_VERSION) {
      throw new StateError(`the state file ${file} was written by a newer version of the bot (schema ${version}; this one reads up to ${SCHEMA_VERSION}): update the bot, or use another file`);
    }
    const integrity = db.pragma('quick_check', { simple: true }) as string;
    if (integrity !== 'ok') throw new StateError(`the state file ${file} is damaged (${integrity}); restore a backup (state backup) or start afresh with --fresh`);
    return version;
  } catch (err) {
    if (err instanceof StateError) throw err;
    const code = sqliteCode(err);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StateError(`${file} is not a state file of this bot: it is not an SQLite database, or it is damaged`);
    }
    throw new StateError(`the state file ${file} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    db?.close();
  }
}

/**
 * A state database in memory, for a run that keeps no file (--state none): nothing survives the process,
 * but an agent the supervisor restarts comes back from its last commit as it would from a file.
 */
export function openMemoryStateDb(): Database.Database {
  const db = new Database(':memory:');
  db.pragma(`application_id = ${APPLICATION_ID}`);
  migrate(db, 0);
  return db;
}

function create(file: string, options: OpenStateOptions): Database.Database {
  let db: Database.Database;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file);
  } catch (err) {
    throw new StateError(`the state file ${file} cannot be created: ${err instanceof Error ? err.message : String(err)}`, ExitCode.runtimeFailure);
  }
  try {
    configure(db, options);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, 0);
  } catch (err) {
    db.close();
    fs.rmSync(file, { force: true });
    throw writeFailure(file, err);
  }
  return db;
}

function configure(db: Database.Database, options: OpenStateOptions): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.durable ? 'FULL' : 'NORMAL'}`);
  if (options.maxPages !== undefined) db.pragma(`max_page_count = ${options.maxPages}`);
}

function migrate(db: Database.Database, from: number): void {
  for (let version = from; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
