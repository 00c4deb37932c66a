import type { Clock } from '../core/clock';
import { findGaps, type Gap } from '../market/gaps';
import { alignToTimeframe, timeframeMs } from '../market/timeframe';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryNotice, type RetryPolicy } from './with-retries';

/** [open time, open, high, low, close, volume]: a ccxt OHLCV row, and a row of a candle file. */
export type OhlcvRow = [number, number, number, number, number, number];

/** What downloading needs of a ccxt exchange; a ccxt instance is one, a test can pass a plain object. */
export interface CandleExchange {
  readonly id: string;
  fetchTime(): Promise<number | undefined>;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<ReadonlyArray<ReadonlyArray<number | undefined>>>;
  /** ccxt: the headers of the last response, Retry-After among them. */
  readonly last_response_headers?: Record<string, string> | undefined;
}

export interface DownloadRequest {
  symbol: string;
  timeframe: string;
  /** First candle wanted: the first one opening at or after this time. Default: the first existing one. */
  from?: number;
  /** Last candle wanted: the last one opening at or before this time. Default: the last closed one. */
  to?: number;
  /** Rows already on disk, ascending; kept as they are and never fetched again. */
  existing?: readonly OhlcvRow[];
  /** Candles per request; Binance serves at most 1000. */
  pageLimit?: number;
}

export interface DownloadDeps {
  clock: Clock;
  retry?: RetryPolicy;
  onRetry?: (notice: RetryNotice) => void;
  /** Candles received so far for this symbol, and how many there can be at most. */
  onProgress?: (received: number, expected: number) => void;
  /** Asked before each page: true ends the download there, keeping what was received (--duration). */
  shouldStop?: () => boolean;
}

export interface DownloadResult {
  /** Existing and new rows together, ascending, one per open time. */
  rows: OhlcvRow[];
  added: number;
  /** Where rows are missing between the first and the last: ranges the exchange has no candles for. */
  gaps: Gap[];
  /** The open time of the last closed candle when the download started, by the exchange's clock. */
  lastClosed: number;
  /** True when shouldStop ended it before everything missing was fetched. */
  stopped: boolean;
}

/** A download that failed part way; `rows` holds what was received, to keep for the next run. */
export class DownloadFailed extends Error {
  constructor(
    override readonly cause: Error,
    readonly rows: OhlcvRow[],
    readonly added: number,
  ) {
    super(cause.message);
    this.name = 'DownloadFailed';
  }
}

/**
 * Fetches the candles of one symbol that are missing on disk, page by page, each page starting right
 * after the last candle of the one before (`since` + `limit`, as ccxt paginates). Only closed candles: the
 * exchange's own clock (fetchTime) says which candle is still forming, and that one is never kept.
 *
 * What is missing: everything from `from` (or the first existing row) up to `to` (or the last closed
 * candle) that is not on disk, including holes inside the existing rows, so a run never leaves a gap it
 * could fill. A range for which the exchange returns nothing stays a gap and is reported, never invented.
 */
export async function downloadCandles(exchange: CandleExchange, request: DownloadRequest, deps: DownloadDeps): Promise<DownloadResult> {
  const { symbol, timeframe } = request;
  const periodMs = timeframeMs(timeframe);
  const existing = request.existing ?? [];
  const retry = { clock: deps.clock, policy: deps.retry ?? DEFAULT_RETRY_POLICY, retryAfterHeader: () => exchange.last_response_headers?.['Retry-After'], ...(deps.onRetry && { onRetry: deps.onRetry }) };

  const serverTime = (await withRetries(() => exchange.fetchTime(), retry)) ?? deps.clock.now();
  const lastClosed = alignToTimeframe(serverTime, timeframe) - periodMs;
  const end = Math.min(lastClosed, request.to === undefined ? Infinity : alignToTimeframe(request.to, timeframe));
  const firstExisting = existing[0]?.[0];
  const wantedFrom = request.from === undefined ? firstExisting : Math.min(request.from, firstExisting ?? Infinity);
  if (wantedFrom === undefined) throw new RangeError(`downloading ${symbol} needs a start time or existing candles to resume from`);
  const start = firstOpenAtOrAfter(wantedFrom, timeframe, periodMs);

  const have = new Map<number, OhlcvRow>(existing.map((row) => [row[0], row]));
  const ranges = missingRanges([...have.keys()].sort((a, b) => a - b), start, end, periodMs);
  const expected = ranges.reduce((n, [a, b]) => n + (b - a) / periodMs + 1, 0);
  const pageLimit = request.pageLimit ?? 1000;
  let added = 0;
  const rowsSoFar = (): OhlcvRow[] => [...have.values()].sort((a, b) => a[0] - b[0]);

  deps.onProgress?.(0, expected);
  let stopped = false;
  try {
    ranges: for (const [rangeStart, rangeEnd] of ranges) {
      let since = rangeStart;
      while (since <= rangeEnd) {
        if (deps.shouldStop?.()) {
          stopped = true;
          break ranges;
        }
        const limit = Math.min(pageLimit, (rangeEnd - since) / periodMs + 1);
        const page = await withRetries(() => exchange.fetchOHLCV(symbol, timeframe, since, limit), retry);
        let lastReceived = -Infinity;
        for (const raw of page) {
          const row = ohlcvRow(raw);
          if (row === undefined) continue;
          lastReceived = Math.max(lastReceived, row[0]);
          if (row[0] < since || row[0] > rangeEnd || (row[0] - start) % periodMs !== 0 || have.has(row[0])) continue;
          have.set(row[0], row);
          added++;
        }
        deps.onProgress?.(added, expected);
        // Nothing at or after `since`: the exchange has no more candles in this range.
        if (lastReceived < since) break;
        since = lastReceived + periodMs;
      }
    }
  } catch (err) {
    throw new DownloadFailed(err instanceof Error ? err : new Error(String(err)), rowsSoFar(), added);
  }
  const rows = rowsSoFar();
  return { rows, added, gaps: findGaps(rows.map((r) => ({ time: r[0] })), periodMs), lastClosed, stopped };
}

function firstOpenAtOrAfter(time: number, timeframe: string, periodMs: number): number {
  const open = alignToTimeframe(time, timeframe);
  return open < time ? open + periodMs : open;
}

/** The [first, last] open times in [start, end] that `times` (ascending) does not hold, as ranges. */
export function missingRanges(times: readonly number[], start: number, end: number, periodMs: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let cursor = start;
  for (const time of times) {
    if (time > end) break;
    if (time < cursor) continue;
    if (time > cursor) ranges.push([cursor, time - periodMs]);
    cursor = time + periodMs;
  }
  if (cursor <= end) ranges.push([cursor, end]);
  return ranges;
}

/** The row, if it has a time and five finite numbers; ccxt leaves a value undefined when the exchange omits it. */
function ohlcvRow(raw: ReadonlyArray<number | undefined>): OhlcvRow | undefined {
  const [time, open, high, low, close, volume] = raw;
  const values = [time, open, high, low, close, volume];
  if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return undefined;
  return [time!, open!, high!, low!, close!, volume!];
}
