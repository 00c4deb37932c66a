import path from 'node:path';
import { BaseError } from 'ccxt';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../config/load-config';
import { SystemClock, type Clock } from '../core/clock';
import { ExitCode, UserError, errorMessage } from '../core/errors';
import { candleFileName, readCandleRows, writeCandleRows } from '../exchange/candle-store';
import { checkListed, checkTimeframe } from '../exchange/check-markets';
import { createExchange } from '../exchange/create-exchange';
import { DownloadFailed, downloadCandles, type CandleExchange, type OhlcvRow } from '../exchange/download-candles';
import { DEFAULT_RETRY_POLICY, RetriesExhausted, withRetries, type RetryNotice, type RetryPolicy } from '../exchange/with-retries';
import { gapLines, symbolLine, type SymbolReport } from './download-report';
import { parseDownloadOptions, type DownloadOptions, type DownloadSettings } from './download-options';
import type { MainIO } from './main-io';
import { openLogger } from './open-logger';
import { checkOutputPaths } from './output-paths';

/** What tests may swap; the command line cannot reach these. */
export interface DownloadCommandDeps {
  clock?: Clock;
  retry?: RetryPolicy;
  /** ccxt's per-request timeout; ccxt's default (10 s) otherwise. */
  timeoutMs?: number;
}

/**
 * `download`: fetches candles from an exchange into candle files (`<out>/BTC_USDT-1h.json`, what `backtest
 * --data` reads), resuming each file where it ends. Bad input is a UserError (exit 2); an exchange that
 * keeps failing is one sentence naming it and the error, exit 1.
 */
export async function runDownloadCommand(options: DownloadOptions, io: MainIO, deps: DownloadCommandDeps = {}): Promise<number> {
  const settings = parseDownloadOptions(options);
  // Before any request: pages downloaded into a directory that cannot be made would be lost.
  checkOutputPaths([{ label: '--out', path: settings.out, kind: 'directory' }]);
  const loaded = loadConfig({
    defaultFile: path.join(io.projectRoot, 'config', 'default.json'),
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    env: io.env,
    flags: { 'exchange.name': settings.exchange, 'exchange.baseUrl': settings.exchangeUrl, 'log.level': options.logLevel },
    flagNames: { 'exchange.name': '--exchange', 'exchange.baseUrl': '--exchange-url', 'log.level': '--log-level' },
  });
  const exchangeId = loaded.config.exchange.name;
  const { baseUrl } = loaded.config.exchange;
  // Downloads are public: no API key is given to ccxt, so none can end up in a request or a message.
  const exchange = createExchange(exchangeId, {
    ...(baseUrl !== '' && { baseUrl }),
    ...(deps.timeoutMs !== undefined && { timeoutMs: deps.timeoutMs }),
  });
  const clock = deps.clock ?? new SystemClock();
  const logger = openLogger(loaded, clock, io.stderr);
  const retry = deps.retry ?? DEFAULT_RETRY_POLICY;
  const onRetry = (what: string) => (n: RetryNotice) =>
    logger.warn(`${exchangeId}: ${n.error.name} while ${what}; retry ${n.retry} of ${n.of} in ${seconds(n.delayMs)}${n.retryAfter ? ' (Retry-After)' : ''}`);
  try {
    try {
      // ccxt keeps the promise of the first loadMarkets, rejected or not: a retry must ask for a reload.
      await withRetries(() => exchange.loadMarkets(true), {
        clock,
        policy: retry,
        retryAfterHeader: () => exchange.last_response_headers?.['Retry-After'],
        onRetry: onRetry('loading markets'),
      });
    } catch (err) {
      return fail(io, `loading the markets of ${exchangeId} failed`, err);
    }
    checkListed(exchange, settings.symbols);
    checkTimeframe(exchange, settings.timeframe);

    const reports: SymbolReport[] = [];
    // --duration is a time limit here: the download stops between pages and keeps what it has.
    const deadline = options.duration !== undefined && options.duration > 0 ? clock.now() + options.duration * 1000 : Infinity;
    const shouldStop = (): boolean => clock.now() >= deadline;
    for (const symbol of settings.symbols) {
      if (shouldStop()) {
        io.stdout.write(`${symbol}: not started, the --duration of ${options.duration} s is over; run again to continue\n`);
        continue;
      }
      const file = path.join(settings.out, candleFileName(symbol, settings.timeframe));
      const existing = readCandleRows(file, symbol, settings.timeframe);
      if (existing === undefined && settings.from === undefined) {
        throw new UserError(`--from is needed: there is no ${file} to resume for ${symbol}`);
      }
      try {
        const result = await downloadOne(exchange, settings, symbol, existing, { clock, retry, io, onRetry: onRetry(`downloading ${symbol}`), shouldStop });
        if (result.added > 0) writeCandleRows(file, result.rows);
        const report: SymbolReport = { symbol, timeframe: settings.timeframe, file, added: result.added, total: result.rows.length, gaps: result.gaps };
        if (result.rows.length > 0) Object.assign(report, { first: result.rows[0]![0], last: result.rows[result.rows.length - 1]![0] });
        reports.push(report);
        io.stdout.write(`${symbolLine(report)}${result.stopped ? ` (stopped by --duration; run again to resume)` : ''}\n`);
      } catch (err) {
        if (!(err instanceof DownloadFailed)) return fail(io, `downloading ${symbol} ${settings.timeframe} from ${exchangeId} failed`, err);
        // What arrived is contiguous from where the file ended, so keeping it lets the next run resume.
        if (err.added > 0) writeCandleRows(file, err.rows);
        const kept = err.added > 0 ? ` (kept the ${err.added} candles received in ${file}; run again to resume)` : '';
        return fail(io, `downloading ${symbol} ${settings.timeframe} from ${exchangeId} failed${kept}`, err.cause);
      }
    }
    for (const line of gapLines(reports)) io.stdout.write(`${line}\n`);
    return ExitCode.ok;
  } finally {
    await logger.close();
  }
}

interface DownloadOneDeps {
  clock: Clock;
  shouldStop: () => boolean;
  retry: RetryPolicy;
  io: MainIO;
  onRetry: (notice: RetryNotice) => void;
}

async function downloadOne(exchange: CandleExchange, settings: DownloadSettings, symbol: string, existing: OhlcvRow[] | undefined, deps: DownloadOneDeps) {
  const bar = deps.io.stderr.isTTY ? new SingleBar({ stream: deps.io.stderr, format: `${symbol} [{bar}] {percentage}% {value}/{total} candles`, hideCursor: true }) : undefined;
  let barStarted = false;
  try {
    return await downloadCandles(
      exchange,
      {
        symbol,
        timeframe: settings.timeframe,
        ...(settings.from !== undefined && { from: settings.from }),
        ...(settings.to !== undefined && { to: settings.to }),
        ...(existing !== undefined && { existing }),
      },
      {
        clock: deps.clock,
        retry: deps.retry,
        onRetry: deps.onRetry,
        shouldStop: deps.shouldStop,
        onProgress: (received, expected) => {
          if (!bar || expected === 0) return;
          if (!barStarted) {
            bar.start(expected, 0);
            barStarted = true;
          }
          bar.update(received);
        },
      },
    );
  } finally {
    if (barStarted) bar?.stop();
  }
}

/** Prints one sentence for an exchange that failed, exit 1; anything else is not ours to explain here. */
function fail(io: MainIO, what: string, err: unknown): number {
  if (err instanceof UserError) throw err;
  if (!(err instanceof BaseError || err instanceof RetriesExhausted)) throw err;
  io.stderr.write(`error: ${what}: ${oneLine(errorMessage(err))}\n`);
  return ExitCode.runtimeFailure;
}

/** ccxt messages carry the response body (a gateway's HTML page, say): one line, and not all of it. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}
