import type Database from 'better-sqlite3';
import type { ClosedTrade } from '../portfolio/types';
import { StateError, writeFailure } from './state-error';
import { lockStateFile } from './run-lock';
import { openMemoryStateDb, openStateFile, type OpenStateOptions } from './state-file';

export interface JournalEvent {
  seq: number;
  /** Market time of the event (ms). */
  time: number;
  kind: string;
  data: unknown;
}

/** What a state file holds: the components' documents, the closed trades, the run's facts. */
export interface SavedState {
  /** Each component's last committed document, by its key ('portfolio', 'trade', 'market'). */
  docs: ReadonlyMap<string, unknown>;
  trades: ClosedTrade[];
  meta: Readonly<Record<string, string>>;
  /** The newest event, if any. */
  lastEvent: JournalEvent | undefined;
}

export interface JournalOptions extends OpenStateOptions {
  /** Events kept; older ones are deleted, the documents being the snapshot they add up to. */
  keepEvents: number;
  /**
   * Keep the documents only, no events or closed trades: the memory journal of a run without a state file,
   * which serves restarted agents and has no reader for a history.
   */
  documentsOnly?: boolean;
  /** A commit failed (disk full, file made read-only): the journal writes nothing more. Called once. */
  onFailure?: (error: StateError) => void;
  /** The file's exclusive use is guaranteed by another lock (the trade side's in Redis): a stale pid lock is taken over. */
  leading?: boolean;
}

/** A component's document in the journal: touched when it changed, taken (snapshot()) at the next commit. */
export interface JournalSlot {
  touch(): void;
}

interface Slot {
  snapshot: () => unknown;
  dirty: boolean;
  /** Written with every commit (its state moves all the time), without making a commit due by itself. */
  always: boolean;
}

/**
 * The one module that knows SQLite. Components register a document each (a plain snapshot of their state)
 * and append events; `commit()` writes every event appended since the last one, every touched document and
 * every new closed trade in one transaction, so the file always holds a state the components were in
 * together: never a fill without its booking. Reading it back is `load()`. Old events are deleted past
 * `keepEvents`; the documents are the snapshot they add up to, so the file does not grow with the run.
 */
export class Journal {
  private readonly slots = new Map<string, Slot>();
  private events: Array<{ time: number; kind: string; data: string }> = [];
  private trades: ClosedTrade[] = [];
  private metaChanges: Array<[string, string]> = [];
  private eventCount: number;
  private lastSeq: number;
  private broken: StateError | undefined;
  private readonly insertEvent: Database.Statement;
  private readonly upsertDoc: Database.Statement;
  private readonly insertTrade: Database.Statement;
  private readonly upsertMeta: Database.Statement;
  private readonly writeAll: () => void;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    private readonly options: JournalOptions,
    private readonly unlock: () => void,
  ) {
    this.insertEvent = db.prepare('INSERT INTO events (time, kind, data) VALUES (?, ?, ?)');
    this.upsertDoc = db.prepare('INSERT INTO state (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data');
    this.insertTrade = db.prepare('INSERT INTO trades (symbol, exit_time, data) VALUES (?, ?, ?)');
    this.upsertMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const counts = db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(seq), 0) AS last FROM events').get() as { n: number; last: number };
    this.eventCount = counts.n;
    this.lastSeq = counts.last;
    this.writeAll = db.transaction(() => this.write());
  }

  /** Opens or creates `file`; a file the bot cannot use is a StateError (see openStateFile). */
  static open(file: string, options: JournalOptions): Journal {
    const unlock = options.readonly ? () => undefined : lockStateFile(file, { heldElsewhere: options.leading === true });
    try {
      return new Journal(file, openStateFile(file, options), options, unlock);
    } catch (err) {
      unlock();
      throw err;
    }
  }

  /** A journal with no file (--state none): the documents are committed to memory, for agents restarted within the run. */
  static inMemory(options: Omit<JournalOptions, 'documentsOnly'> = { keepEvents: 0 }): Journal {
    return new Journal(':memory:', openMemoryStateDb(), { ...options, documentsOnly: true }, () => undefined);
  }

  /**
   * Registers a component's document under `key`, replacing one registered before (a restarted agent):
   * `snapshot` is called at the commits after a touch, or at every commit with `always`.
   */
  slot(key: string, snapshot: () => unknown, options: { always?: boolean } = {}): JournalSlot {
    const slot: Slot = { snapshot, dirty: false, always: options.always === true };
    this.slots.set(key, slot);
    return {
      touch: () => {
        slot.dirty = true;
      },
    };
  }

  /** An event for the next commit; `data` is taken as JSON now, so changing it later changes nothing. */
  append(kind: string, time: number, data: unknown): void {
    if (this.options.documentsOnly) return;
    this.events.push({ time, kind, data: JSON.stringify(data) });
  }

  closedTrade(trade: ClosedTrade): void {
    if (this.options.documentsOnly) return;
    this.trades.push(trade);
  }

  setMeta(key: string, value: string): void {
    this.metaChanges.push([key, value]);
  }

  /** Events waiting for the next commit. */
  get pendingEvents(): number {
    return this.events.length;
  }

  /** Something waits for a commit. */
  get dirty(): boolean {
    if (this.events.length > 0 || this.trades.length > 0 || this.metaChanges.length > 0) return true;
    for (const slot of this.slots.values()) if (slot.dirty) return true;
    return false;
  }

  /** Commits fsync (a live account): what must not be lost, such as an order's intent, is committed at once. */
  get durable(): boolean {
    return this.options.durable === true;
  }

  /** A component's last committed document. */
  document<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT data FROM state WHERE key = ?').get(key) as { data: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.data) as T);
  }

  /** Every closed trade written, oldest first. */
  closedTrades(): ClosedTrade[] {
    return (this.db.prepare('SELECT data FROM trades ORDER BY seq').all() as Array<{ data: string }>).map((r) => JSON.parse(r.data) as ClosedTrade);
  }

  get failed(): boolean {
    return this.broken !== undefined;
  }

  /**
   * Writes everything waiting, in one transaction; false when nothing was written because the journal has
   * failed. A failed write is rolled back whole, reported once through `onFailure`, and ends the journal.
   */
  commit(): boolean {
    if (this.broken) return false;
    if (!this.dirty && !this.hasAlwaysSlots()) return true;
    try {
      this.writeAll();
    } catch (err) {
      this.broken = err instanceof StateError ? err : writeFailure(this.file, err);
      this.options.onFailure?.(this.broken);
      return false;
    }
    this.events = [];
    this.trades = [];
    this.metaChanges = [];
    return true;
  }

  load(): SavedState {
    const docs = new Map<string, unknown>();
    for (const row of this.db.prepare('SELECT key, data FROM state').all() as Array<{ key: string; data: string }>) docs.set(row.key, JSON.parse(row.data));
    return { docs, trades: this.closedTrades(), meta: this.meta(), lastEvent: this.recent(1)[0] };
  }

  /** The run's facts written with setMeta. */
  meta(): Record<string, string> {
    const meta: Record<string, string> = {};
    for (const row of this.db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>) meta[row.key] = row.value;
    return meta;
  }

  /** The newest `limit` events, newest last. */
  recent(limit: number): JournalEvent[] {
    const rows = this.db.prepare('SELECT seq, time, kind, data FROM events ORDER BY seq DESC LIMIT ?').all(limit) as Array<{ seq: number; time: number; kind: string; data: string }>;
    return rows.reverse().map((r) => ({ seq: r.seq, time: r.time, kind: r.kind, data: JSON.parse(r.data) as unknown }));
  }

  /** A consistent copy of the file as it is now, taken while the bot goes on writing (SQLite's backup API). */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.unlock();
  }

  private hasAlwaysSlots(): boolean {
    for (const slot of this.slots.values()) if (slot.always) return true;
    return false;
  }

  private write(): void {
    for (const [key, value] of this.metaChanges) this.upsertMeta.run(key, value);
    for (const event of this.events) {
      this.insertEvent.run(event.time, event.kind, event.data);
      this.lastSeq += 1;
    }
    this.eventCount += this.events.length;
    for (const trade of this.trades) this.insertTrade.run(trade.symbol, trade.exitTime, JSON.stringify(trade));
    for (const [key, slot] of this.slots) {
      if (!slot.dirty && !slot.always) continue;
      this.upsertDoc.run(key, JSON.stringify(slot.snapshot()));
      slot.dirty = false;
    }
    // A tenth of slack, so the delete runs now and then rather than on every commit.
    if (this.eventCount > this.options.keepEvents * 1.1) {
      this.db.prepare('DELETE FROM events WHERE seq <= ?').run(this.lastSeq - this.options.keepEvents);
      this.eventCount = this.options.keepEvents;
    }
  }
}
