import type { Bus, Unsubscribe } from '../bus/bus';
import { errorMessage } from '../core/errors';
import type { Logger } from '../logging/logger';
import type { RunOutputStream } from './run-output-stream';

/** How long a status line's summary may take to come back; a busy or stopping portfolio skips that one. */
const SUMMARY_TIMEOUT_MS = 2000;

/**
 * Keeps a paper run's --out files current from the bus: each `position.closed` is a row of trades.csv, each
 * status line (`monitor.status`) a fresh summary.json from the portfolio. A file that cannot be written is
 * logged, and the run goes on: the end-of-run write says the last word.
 */
export function followRunOutputs(bus: Bus, stream: RunOutputStream, logger: Logger): Unsubscribe {
  const fail = (what: string) => (err: unknown) => logger.warn(`--out: ${what} failed: ${errorMessage(err)}`);
  const offTrades = bus.subscribe('cli', 'position.closed', ({ payload }) => {
    try {
      stream.appendTrade(payload);
    } catch (err) {
      fail('appending to trades.csv')(err);
    }
  });
  const offStatus = bus.subscribe('cli', 'monitor.status', () => {
    bus.request('cli', 'portfolio.summary', {}, { timeoutMs: SUMMARY_TIMEOUT_MS }).then((summary) => stream.writeSummary(summary)).catch(fail('writing summary.json'));
  });
  return () => {
    offTrades();
    offStatus();
  };
}
