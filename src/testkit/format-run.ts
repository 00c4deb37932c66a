import type { ClosedTrade } from '../portfolio/types';
import type { StrategyRun, StrategySignal } from './run-types';

/** Lines listed in a failure message at most; the ones nearest the candle in question are kept. */
const MAX_LINES = 20;

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** "candle 7 (2024-01-01T07:00:00.000Z, close 14)". */
export function describeCandle(run: StrategyRun, index: number): string {
  const candle = run.candles[index];
  return candle === undefined ? `candle ${index}` : `candle ${index} (${isoTime(candle.time)}, close ${candle.close})`;
}

export function signalLine(signal: StrategySignal): string {
  const details = [
    signal.size !== undefined ? `size ${signal.size}` : '',
    signal.fraction !== undefined ? `fraction ${signal.fraction}` : '',
    signal.stopLossPct ? `stop-loss ${signal.stopLossPct} %` : '',
    signal.takeProfitPct ? `take-profit ${signal.takeProfitPct} %` : '',
  ].filter((d) => d !== '');
  return `#${signal.index}  ${isoTime(signal.time)}  ${signal.action.padEnd(6)}  ${signal.reason}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/** The run's signals, one a line, with its failure if it had one; the ones nearest `around` when there are many. */
export function signalList(run: StrategyRun, around?: number, signals: readonly StrategySignal[] = run.signals): string {
  const heading =
    signals.length === 0
      ? `${run.strategy} gave no signal over ${run.candles.length} candles.`
      : `Signals of ${run.strategy} (${signals.length}${signals.length > MAX_LINES ? `, the ${MAX_LINES} nearest candle ${around ?? 0} shown` : ''}):`;
  const shown = nearest(signals, around ?? 0, (s) => s.index).map((s) => `  ${signalLine(s)}`);
  return [heading, ...shown, ...failureLines(run)].join('\n');
}

export function tradeList(run: StrategyRun): string {
  if (run.trades.length === 0) return `${run.strategy} closed no trade.`;
  const shown = run.trades.slice(0, MAX_LINES).map((t) => `  ${tradeLine(run, t)}`);
  const more = run.trades.length > MAX_LINES ? [`  ... and ${run.trades.length - MAX_LINES} more`] : [];
  return [`Trades of ${run.strategy} (${run.trades.length}):`, ...shown, ...more].join('\n');
}

export function tradeLine(run: StrategyRun, trade: ClosedTrade): string {
  const at = (time: number): string => {
    const index = run.candles.findIndex((c) => c.time === time);
    return `${index >= 0 ? `#${index} ` : ''}${isoTime(time)}`;
  };
  return (
    `entry ${at(trade.entryTime)} at ${trade.entryPrice} -> exit ${at(trade.exitTime)} at ${trade.exitPrice} (${trade.exitReason}), ` +
    `pnl ${trade.pnl.toFixed(2)} (${trade.pnlPct.toFixed(2)} %)`
  );
}

function failureLines(run: StrategyRun): string[] {
  if (run.failure === undefined) return [];
  return [`The strategy was disabled on ${describeCandle(run, run.failure.index)}: ${run.failure.error}`];
}

/** At most MAX_LINES items, the ones whose key is nearest `around`, in their original order. */
function nearest<T>(items: readonly T[], around: number, key: (item: T) => number): T[] {
  if (items.length <= MAX_LINES) return [...items];
  const ranked = items.map((item, i) => ({ i, distance: Math.abs(key(item) - around) })).sort((a, b) => a.distance - b.distance || a.i - b.i);
  const kept = new Set(ranked.slice(0, MAX_LINES).map((r) => r.i));
  return items.filter((_, i) => kept.has(i));
}
