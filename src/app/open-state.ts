import fs from 'node:fs';
import path from 'node:path';
import type { BotConfig } from '../config/schema';
import type { TradeState } from '../execution/order-manager';
import type { BooksState } from '../portfolio/books';
import { Journal } from '../state/journal';
import { StateError } from '../state/state-error';

export interface StateRequest {
  mode: 'paper' | 'live';
  /** --fresh: a new account; the old file is kept, renamed with the time. */
  fresh: boolean;
  /** The simulated market's seed this run would use (drawn when the config says 0). */
  seed: number;
  /** Wall time, for the name a file moved aside gets. */
  now: number;
  onFailure: (error: StateError) => void;
  /** This process leads the trade side through the Redis lock: the state file's pid lock may be another container's. */
  leading?: boolean;
}

export interface OpenedState {
  journal: Journal;
  /** The seed to play: a resumed simulated run goes on with its own. */
  seed: number;
  /** Candle periods the resumed run had played (0 for a new one). */
  resumeAfter: number;
  /** One line for the banner: what was resumed, or that a new account starts here. */
  banner: string;
  /** Said before the banner, when an old file was moved aside. */
  notices: string[];
}

/** SQLite's default page size, which the state files keep. */
const SQLITE_PAGE_BYTES = 4096;

/** Where the run's state lives: undefined for `state.file: none`. */
export function stateFileOf(config: BotConfig, mode: 'paper' | 'live'): string | undefined {
  const { file } = config.state;
  if (file === 'none') return undefined;
  return file === '' ? path.join('state', `${mode}.sqlite`) : file;
}

/**
 * Opens the run's state file: a new account when there is none, --fresh was given or the paper run in it
 * had ended (the old file kept, renamed with the time), else the run to resume. A file of another mode, market
 * source, symbols, timeframe or seed is refused with one sentence rather than mixed into this run.
 */
export function openState(config: BotConfig, request: StateRequest): OpenedState | undefined {
  const file = stateFileOf(config, request.mode);
  if (file === undefined) return undefined;
  const notices: string[] = [];
  if (request.fresh && fs.existsSync(file)) notices.push(`--fresh: the previous state was moved to ${moveAside(file, request)}`);
  let journal = open(file, config, request);
  let books = journal.document<BooksState>('portfolio');
  // A live account is never forgotten: whatever ended its last run, its orders and positions are on the exchange.
  if (books?.ended && request.mode === 'paper') {
    journal.close();
    notices.push(`the run in ${file} had ended; a new account starts, the old state moved to ${moveAside(file, request)}`);
    journal = open(file, config, request);
    books = undefined;
  }
  const meta = journal.meta();
  const facts = runFacts(config, request);
  if (meta['mode'] === undefined) {
    for (const [key, value] of Object.entries(facts)) journal.setMeta(key, value);
    journal.setMeta('createdAt', new Date(request.now).toISOString());
    journal.commit();
    return { journal, seed: request.seed, resumeAfter: 0, banner: `new account, state kept in ${file}`, notices };
  }
  try {
    checkSameRun(file, meta, facts, config);
  } catch (err) {
    journal.close();
    throw err;
  }
  const seed = Number(meta['seed'] ?? request.seed);
  const trade = journal.document<TradeState>('trade');
  const last = journal.recent(1)[0];
  const banner =
    `resumed from ${file}: ${books?.ledger.positions.length ?? 0} position(s), ${trade?.executor.orders.length ?? 0} open order(s), ` +
    `last event at ${last ? new Date(last.time).toISOString() : 'none yet'}`;
  // Only a deterministic source can be replayed up to where the run was; live data goes on from now.
  const resumeAfter = config.market.source === 'simulated' ? (books?.periods ?? 0) : 0;
  return { journal, seed, resumeAfter, banner, notices };
}

function open(file: string, config: BotConfig, request: StateRequest): Journal {
  const { keepEvents, maxSizeMb } = config.state;
  const pages = Math.floor((maxSizeMb * 1024 * 1024) / SQLITE_PAGE_BYTES);
  return Journal.open(file, { durable: request.mode === 'live', keepEvents, onFailure: request.onFailure, ...(maxSizeMb > 0 ? { maxPages: Math.max(1, pages) } : {}), ...(request.leading ? { leading: true } : {}) });
}

/** What makes two runs the same run, as the state file keeps it. */
function runFacts(config: BotConfig, request: StateRequest): Record<string, string> {
  const { market } = config;
  return {
    mode: request.mode,
    source: market.source,
    symbols: market.symbols.join(','),
    timeframe: market.timeframe,
    ...(market.source === 'simulated' ? { seed: String(request.seed) } : {}),
  };
}

function checkSameRun(file: string, meta: Readonly<Record<string, string>>, facts: Record<string, string>, config: BotConfig): void {
  const differs = (key: string, what: string, now: string): never => {
    throw new StateError(`${file} holds a run with ${what} ${meta[key]}, and this one has ${now}: use --fresh for a new account, or --state <file> for another file`);
  };
  if (meta['mode'] !== facts['mode']) differs('mode', 'mode', facts['mode']!);
  if (meta['source'] !== facts['source']) differs('source', 'market source', facts['source']!);
  if (meta['symbols'] !== facts['symbols']) differs('symbols', 'symbols', facts['symbols']!);
  if (meta['timeframe'] !== facts['timeframe']) differs('timeframe', 'timeframe', facts['timeframe']!);
  // A seed the user asked for must be the file's; without one (0: drawn), the file's is taken.
  const asked = config.market.simulated.seed;
  if (config.market.source === 'simulated' && asked !== 0 && String(asked) !== meta['seed']) differs('seed', 'seed', String(asked));
}

/** Renames `file` (and what SQLite keeps beside it) to `<file>.<time>`, after a check that it is ours. */
function moveAside(file: string, request: StateRequest): string {
  // Opened and closed first: that checks the file is a state file, and folds its WAL into it.
  Journal.open(file, { keepEvents: 0 }).close();
  const stamp = new Date(request.now).toISOString().replace(/[:.]/g, '-');
  const target = `${file}.${stamp}`;
  fs.renameSync(file, target);
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  return target;
}
