import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { APPLICATION_ID } from '../../src/state/state-file';
import { tempDir } from '../helpers/bot-process';
import { quietEnv, runMain } from '../helpers/run-main';

function paper(state: string, env: Record<string, string> = {}) {
  return runMain(['--candles', '300', '--seed', '7', '--speed', '100000', '--state', state], quietEnv({ BOT_LOG_LEVEL: 'warn', ...env }));
}

/** The file's bytes and modification time, to show nothing touched it. */
function fingerprint(file: string): string {
  return `${fs.readFileSync(file).toString('base64')} ${fs.statSync(file).mtimeMs}`;
}

function sqliteFile(file: string, setup: (db: Database.Database) => void): string {
  const db = new Database(file);
  setup(db);
  db.close();
  return file;
}

describe('a state file the bot cannot use', () => {
  const dir = tempDir('state-errors-');

  it.each([
    ['not SQLite at all', () => {
      const file = path.join(dir, 'garbage.sqlite');
      fs.writeFileSync(file, 'this is a text file, not a database\n'.repeat(200));
      return file;
    }, /is not a state file of this bot: it is not an SQLite database, or it is damaged\n$/],
    ['another program\'s database', () => sqliteFile(path.join(dir, 'foreign.sqlite'), (db) => db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES (\'Ada\')')), /is an SQLite database of another program, not a state file of this bot; give another file with --state\n$/],
    ['written by a newer version', () => sqliteFile(path.join(dir, 'newer.sqlite'), (db) => {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma('user_version = 99');
      db.exec('CREATE TABLE future (x)');
    }), /was written by a newer version of the bot \(schema 99; this one reads up to 1\): update the bot, or use another file\n$/],
  ])('refuses a file %s in one sentence, exit 2, and leaves it untouched', async (_what, make, sentence) => {
    const file = make();
    const before = fingerprint(file);
    const run = await paper(file);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(sentence);
    expect(run.stderr).toContain(file);
    expect(fingerprint(file)).toBe(before);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('refuses a read-only state file, exit 1, and leaves it untouched', async () => {
    const file = path.join(dir, 'readonly.sqlite');
    expect((await paper(file)).code).toBe(0);
    fs.chmodSync(file, 0o444);
    const before = fingerprint(file);
    const run = await paper(file);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: the state file ${file} is read-only; give it write permission, or use another file with --state\n`);
    expect(fingerprint(file)).toBe(before);
  });

  it('refuses a state file another running bot writes, exit 1', async () => {
    const file = path.join(dir, 'busy.sqlite');
    // The test runner's parent process stands in for the other bot: it is running.
    fs.writeFileSync(`${file}.lock`, String(process.ppid));
    const run = await paper(file);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: the state file ${file} is in use by another running bot (pid ${process.ppid}); stop it first, or use another file with --state\n`);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes over the lock of a bot that is gone (killed) and resumes', async () => {
    const file = path.join(dir, 'stale.sqlite');
    expect((await runMain(['--candles', '300', '--seed', '7', '--speed', '100000', '--state', file, '--duration', '0.01'], quietEnv())).code).toBe(0);
    fs.writeFileSync(`${file}.lock`, '999999999');
    const run = await paper(file, { BOT_LOG_LEVEL: 'info' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`resumed from ${file}`);
  });

  it('stops a run whose state file fills up, exit 1, with the state of its last complete write kept', async () => {
    const file = path.join(dir, 'full.sqlite');
    const run = await runMain(['--candles', '3000', '--seed', '7', '--speed', '100000', '--state', file], quietEnv({ BOT_LOG_LEVEL: 'warn', BOT_STATE_MAX_SIZE_MB: '0.1' }));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: the state file ${file} could not be written: the disk (or the file's size limit) is full; it keeps the state of its last complete write\n`);
    // What it holds is a whole state: it resumes, given room.
    const resumed = await paper(file, { BOT_LOG_LEVEL: 'info', BOT_RUN_CANDLES: '3000' });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resumed from .*full\.sqlite: \d+ position/);
  });

  it('keeps nothing with --state none', async () => {
    const run = await runMain(['--candles', '50', '--seed', '7', '--speed', '100000', '--state', 'none'], quietEnv({ BOT_LOG_LEVEL: 'info', BOT_STATE_FILE: '' }));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('state: none kept (--state none)');
  });
});

describe('a new account', () => {
  const dir = tempDir('state-new-');

  it('starts when the run in the file had ended, the old file kept beside it under its time', async () => {
    const file = path.join(dir, 'ended.sqlite');
    expect((await paper(file)).code).toBe(0);
    const run = await paper(file, { BOT_LOG_LEVEL: 'info' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`the run in ${file} had ended; a new account starts, the old state moved to ${file}\\.20\\d\\d-\\d\\d-\\d\\dT[\\d-]+Z`));
    expect(run.stdout).toContain(`new account, state kept in ${file}`);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('ended.sqlite.20'))).toHaveLength(1);
  });

  it('starts with --fresh, the old file kept, and a run of another seed is refused without it', async () => {
    const file = path.join(dir, 'fresh.sqlite');
    expect((await runMain(['--seed', '7', '--speed', '100000', '--state', file, '--duration', '0.2'], quietEnv())).code).toBe(0);
    const other = await runMain(['--seed', '8', '--speed', '100000', '--state', file, '--candles', '10'], quietEnv());
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(`error: ${file} holds a run with seed 7, and this one has 8: use --fresh for a new account, or --state <file> for another file\n`);
    const fresh = await runMain(['--seed', '8', '--speed', '100000', '--state', file, '--candles', '10', '--fresh'], quietEnv({ BOT_LOG_LEVEL: 'info' }));
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/--fresh: the previous state was moved to .*fresh\.sqlite\.20/);
  });
});
