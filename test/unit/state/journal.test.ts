import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Journal } from '../../../src/state/journal';
import type { StateError } from '../../../src/state/state-error';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/state/state-file';
import type { ClosedTrade } from '../../../src/portfolio/types';

function stateFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'nested', 'run.sqlite');
}

const trade: ClosedTrade = { symbol: 'BTC/USDT', entryTime: 1, exitTime: 2, side: 'long', qty: 0.1, entryPrice: 100, exitPrice: 101.3, fees: 0.02, pnl: 0.11, pnlPct: 1.1, exitReason: 'signal' };

describe('Journal', () => {
  it('writes events, documents, trades and facts in one commit and reads them back after a reopen', () => {
    const file = stateFile();
    const journal = Journal.open(file, { keepEvents: 1000 });
    let books = { cash: 1000.1 + 0.2 };
    const slot = journal.slot('portfolio', () => books);
    journal.setMeta('seed', '7');
    journal.append('order.submitted', 10, { id: 'paper-1' });
    journal.closedTrade(trade);
    slot.touch();
    expect(journal.dirty).toBe(true);
    expect(journal.commit()).toBe(true);
    expect(journal.dirty).toBe(false);
    books = { cash: 5 };
    journal.close();

    const again = Journal.open(file, { keepEvents: 1000 });
    const saved = again.load();
    expect(saved.docs.get('portfolio')).toEqual({ cash: 1000.1 + 0.2 });
    expect(saved.trades).toEqual([trade]);
    expect(saved.meta).toEqual({ seed: '7' });
    expect(saved.lastEvent).toMatchObject({ time: 10, kind: 'order.submitted', data: { id: 'paper-1' } });
    again.close();
  });

  it('writes an always-kept document with every commit without making a commit due by itself', () => {
    const journal = Journal.open(stateFile(), { keepEvents: 1000 });
    let n = 0;
    journal.slot('trade', () => ({ n: ++n }), { always: true });
    expect(journal.dirty).toBe(false);
    journal.append('tick', 1, {});
    journal.commit();
    journal.append('tick', 2, {});
    journal.commit();
    expect(journal.document('trade')).toEqual({ n: 2 });
    journal.close();
  });

  it('keeps the newest keepEvents events and deletes older ones, the documents staying', () => {
    const journal = Journal.open(stateFile(), { keepEvents: 100 });
    const slot = journal.slot('portfolio', () => ({ cash: 1 }));
    for (let i = 1; i <= 500; i++) {
      journal.append('fill', i, { i });
      slot.touch();
      journal.commit();
    }
    const events = journal.recent(1000);
    expect(events.length).toBeLessThanOrEqual(110);
    expect(events.length).toBeGreaterThanOrEqual(100);
    expect(events.at(-1)).toMatchObject({ kind: 'fill', data: { i: 500 } });
    expect(journal.document('portfolio')).toEqual({ cash: 1 });
    journal.close();
  });

  it('writes nothing of a commit that fails, reports it once with the file named, and writes nothing after', () => {
    const file = stateFile();
    const failures: StateError[] = [];
    // A file of at most 64 pages of 4 KiB: a few commits of big events fill it.
    const journal = Journal.open(file, { keepEvents: 1_000_000, maxPages: 64, onFailure: (e) => failures.push(e) });
    let committed = 0;
    for (let i = 0; i < 200 && journal.commit(); i++) {
      committed = i;
      journal.append('big', i, { text: 'x'.repeat(20_000) });
    }
    expect(journal.failed).toBe(true);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toBe(`the state file ${file} could not be written: the disk (or the file's size limit) is full; it keeps the state of its last complete write`);
    expect(failures[0]!.exitCode).toBe(1);
    journal.append('late', 1, {});
    expect(journal.commit()).toBe(false);
    journal.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number };
    db.close();
    // Every commit but the one that failed, each whole.
    expect(rows.n).toBe(committed);
  });

  it('marks the file as its own and writes the schema version', () => {
    const file = stateFile();
    Journal.open(file, { keepEvents: 100 }).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('makes a consistent copy while it is open', async () => {
    const journal = Journal.open(stateFile(), { keepEvents: 100 });
    journal.append('fill', 1, { a: 1 });
    journal.commit();
    const copy = path.join(os.tmpdir(), `journal-copy-${process.pid}-${Date.now()}.sqlite`);
    await journal.backup(copy);
    journal.append('fill', 2, { a: 2 });
    journal.commit();
    journal.close();
    const copied = Journal.open(copy, { keepEvents: 100, readonly: true });
    expect(copied.recent(10).map((e) => e.data)).toEqual([{ a: 1 }]);
    copied.close();
  });
});
