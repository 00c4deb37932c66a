import { describeCandle, isoTime, signalLine, signalList, tradeLine, tradeList } from './format-run';
import type { LookAheadReport } from './look-ahead';
import type { StrategyRun, StrategySignal } from './run-types';
import { toTimeMs } from './series-layout';

/** A candle of the run: its index in the candles given to runStrategy, or its open time as a Date or ISO text. */
export type CandleRef = number | string | Date;

declare global {
  namespace jest {
    // The type parameters must repeat @types/jest's own for the declarations to merge.
    interface Matchers<R, T = {}> {
      /** An enter signal on this candle's close (it fills at the next candle's open). */
      toEnterAt(candle: CandleRef): R;
      /** A reduce signal (a partial exit) on this candle's close. */
      toReduceAt(candle: CandleRef): R;
      /** An exit signal on this candle's close, or a stop-loss / take-profit triggered inside this candle. */
      toExitAt(candle: CandleRef): R;
      /** An exit whose reason contains this text or matches this pattern: a signal's reason, or 'stop-loss' / 'take-profit'. */
      toExitWithReason(reason: string | RegExp): R;
      /** Exactly this many closed trades (round trips). */
      toHaveTraded(trades: number): R;
      /** No enter signal at all. */
      toNeverEnter(): R;
      /** The received checkNoLookAhead(...) report found no decision that depends on later candles. */
      toHaveNoLookAhead(): R;
    }
  }
}

type Result = { pass: boolean; message: () => string };

/** Protective exits are the engine's, not signals; they count as exits on the candle they triggered in. */
function protectiveExits(run: StrategyRun): Array<{ index: number; reason: string; line: string }> {
  return run.trades
    .filter((t) => t.exitReason !== 'signal')
    .map((t) => ({ index: run.candles.findIndex((c) => c.time === t.exitTime), reason: t.exitReason, line: tradeLine(run, t) }));
}

function toEnterAt(this: jest.MatcherContext, received: unknown, at: CandleRef): Result {
  return signalOnCandle.call(this, 'toEnterAt', 'enter', 'entered', asRun(received, 'toEnterAt'), at);
}

function toReduceAt(this: jest.MatcherContext, received: unknown, at: CandleRef): Result {
  return signalOnCandle.call(this, 'toReduceAt', 'reduce', 'reduced', asRun(received, 'toReduceAt'), at);
}

function signalOnCandle(this: jest.MatcherContext, matcher: string, action: StrategySignal['action'], past: string, run: StrategyRun, at: CandleRef): Result {
  const index = candleIndex(run, at);
  const same = run.signals.filter((s) => s.action === action);
  const hit = same.find((s) => s.index === index);
  return {
    pass: hit !== undefined,
    message: () =>
      [
        this.utils.matcherHint(matcher, 'run', 'candle', { isNot: this.isNot }),
        '',
        hit !== undefined
          ? `Expected ${run.strategy} not to ${action} on ${describeCandle(run, index)}, but it did:\n  ${signalLine(hit)}`
          : `Expected ${run.strategy} to ${action} on ${describeCandle(run, index)}.${elsewhere(past, same)}`,
        '',
        signalList(run, index),
      ].join('\n'),
  };
}

function toExitAt(this: jest.MatcherContext, received: unknown, at: CandleRef): Result {
  const run = asRun(received, 'toExitAt');
  const index = candleIndex(run, at);
  const exits = run.signals.filter((s) => s.action === 'exit');
  const signal = exits.find((s) => s.index === index);
  const protective = protectiveExits(run).find((p) => p.index === index);
  const hit = signal !== undefined ? signalLine(signal) : protective?.line;
  return {
    pass: hit !== undefined,
    message: () =>
      [
        this.utils.matcherHint('toExitAt', 'run', 'candle', { isNot: this.isNot }),
        '',
        hit !== undefined
          ? `Expected ${run.strategy} not to exit on ${describeCandle(run, index)}, but it did:\n  ${hit}`
          : `Expected ${run.strategy} to exit on ${describeCandle(run, index)} (an exit signal on its close, or a stop-loss or take-profit inside it).${elsewhere('gave exit signals', exits)}`,
        '',
        signalList(run, index),
        '',
        tradeList(run),
      ].join('\n'),
  };
}

function toExitWithReason(this: jest.MatcherContext, received: unknown, reason: string | RegExp): Result {
  const run = asRun(received, 'toExitWithReason');
  if (typeof reason !== 'string' && !(reason instanceof RegExp)) throw new TypeError('toExitWithReason(reason) takes a string or a RegExp');
  const matches = (text: string): boolean => (typeof reason === 'string' ? text.includes(reason) : new RegExp(reason.source, reason.flags.replace('g', '')).test(text));
  const exits = [
    ...run.signals.filter((s) => s.action === 'exit').map((s) => ({ reason: s.reason, line: signalLine(s) })),
    ...protectiveExits(run),
  ];
  const hits = exits.filter((e) => matches(e.reason));
  const wanted = typeof reason === 'string' ? JSON.stringify(reason) : String(reason);
  return {
    pass: hits.length > 0,
    message: () =>
      [
        this.utils.matcherHint('toExitWithReason', 'run', 'reason', { isNot: this.isNot }),
        '',
        hits.length > 0
          ? `Expected no exit of ${run.strategy} with a reason matching ${wanted}, but found ${hits.length}:\n${hits.map((h) => `  ${h.line}`).join('\n')}`
          : `Expected an exit of ${run.strategy} with a reason matching ${wanted}; its exits are:\n${exits.length > 0 ? exits.map((e) => `  ${e.line}`).join('\n') : '  (none)'}`,
        '',
        signalList(run),
        '',
        tradeList(run),
      ].join('\n'),
  };
}

function toHaveTraded(this: jest.MatcherContext, received: unknown, trades: number): Result {
  const run = asRun(received, 'toHaveTraded');
  if (!Number.isInteger(trades) || trades < 0) throw new TypeError(`toHaveTraded(n) takes a whole number of trades, got ${String(trades)}`);
  const made = run.trades.length;
  const open = run.summary.openPositionsAtEnd;
  return {
    pass: made === trades,
    message: () =>
      [
        this.utils.matcherHint('toHaveTraded', 'run', 'trades', { isNot: this.isNot }),
        '',
        `Expected ${run.strategy} ${this.isNot ? 'not ' : ''}to close ${trades} trade(s); it closed ${made}${open > 0 ? ` and still held ${open} position(s) at the end` : ''}.`,
        '',
        tradeList(run),
        '',
        signalList(run),
        ...denialLines(run),
      ].join('\n'),
  };
}

function toNeverEnter(this: jest.MatcherContext, received: unknown): Result {
  const run = asRun(received, 'toNeverEnter');
  const entries = run.signals.filter((s) => s.action === 'enter');
  return {
    pass: entries.length === 0,
    message: () =>
      [
        this.utils.matcherHint('toNeverEnter', 'run', '', { isNot: this.isNot }),
        '',
        entries.length > 0
          ? `Expected ${run.strategy} never to enter, but it entered ${entries.length} time(s):\n${entries.slice(0, 20).map((s) => `  ${signalLine(s)}`).join('\n')}`
          : `Expected ${run.strategy} to enter at least once over ${run.candles.length} candles, but it never did.`,
        '',
        signalList(run),
      ].join('\n'),
  };
}

function toHaveNoLookAhead(this: jest.MatcherContext, received: unknown): Result {
  if (!isLookAheadReport(received)) throw new TypeError('toHaveNoLookAhead() expects the report of checkNoLookAhead(strategy, candles)');
  const { violations, strategy, cuts } = received;
  return {
    pass: received.ok,
    message: () => {
      const hint = this.utils.matcherHint('toHaveNoLookAhead', 'report', '', { isNot: this.isNot });
      if (received.ok) return `${hint}\n\nExpected look-ahead, but none of the ${cuts.length} cuts changed a decision of ${strategy}.`;
      const cutsHit = new Set(violations.map((v) => v.cut)).size;
      const lines = violations.slice(0, 20).map((v) => {
        const how = v.future === 'altered' ? `the candles after ${v.cut} replaced` : `the candles after ${v.cut} left out`;
        return `  cut ${v.cut}, ${how}: candle ${v.index} (${isoTime(v.time)}) decided ${JSON.stringify(v.actual)} instead of ${JSON.stringify(v.expected)}`;
      });
      const more = violations.length > 20 ? [`  ... and ${violations.length - 20} more`] : [];
      const advice = violations.some((v) => v.future === 'removed')
        ? ['', 'With the candles after a cut left out, the strategy saw the very same candles: it is not deterministic (Math.random, the clock) or shares state between instances.']
        : [];
      return [
        hint,
        '',
        `Expected ${strategy} to decide on each candle from that candle and earlier ones only, but ${cutsHit} of ${cuts.length} cuts changed a decision at or before the cut:`,
        ...lines,
        ...more,
        ...advice,
      ].join('\n');
    },
  };
}

export const strategyMatchers = { toEnterAt, toReduceAt, toExitAt, toExitWithReason, toHaveTraded, toNeverEnter, toHaveNoLookAhead };

/** Registers the testkit's matchers with Jest's expect; `import '<path>/src/testkit/jest'` does it for a file. */
export function installMatchers(): void {
  const expect = (globalThis as { expect?: jest.Expect }).expect;
  if (expect === undefined) throw new Error("installMatchers() needs Jest's global expect: call it in a test file or a Jest setup file");
  expect.extend(strategyMatchers);
}

function asRun(received: unknown, matcher: string): StrategyRun {
  if (received instanceof Promise) throw new TypeError(`${matcher}() received a Promise: await runStrategy(...) before expect()`);
  const r = received as Partial<StrategyRun> | null;
  if (typeof r !== 'object' || r === null || !Array.isArray(r.signals) || !Array.isArray(r.candles) || !Array.isArray(r.trades)) {
    throw new TypeError(`${matcher}() expects the result of runStrategy(strategy, candles)`);
  }
  return r as StrategyRun;
}

function isLookAheadReport(value: unknown): value is LookAheadReport {
  const r = value as Partial<LookAheadReport> | null;
  return typeof r === 'object' && r !== null && typeof r.ok === 'boolean' && Array.isArray(r.violations) && Array.isArray(r.cuts);
}

/** The candle index `at` names; a bad reference is a mistake in the test, so it throws rather than fails. */
function candleIndex(run: StrategyRun, at: CandleRef): number {
  if (typeof at === 'number') {
    if (!Number.isInteger(at) || at < 0 || at >= run.candles.length) {
      throw new RangeError(`candle ${at} does not exist: the run has ${run.candles.length} candles, 0 to ${run.candles.length - 1} (give a time as a Date or ISO text)`);
    }
    return at;
  }
  const time = toTimeMs(at, 'candle time');
  const index = run.candles.findIndex((c) => c.time === time);
  if (index < 0) throw new RangeError(`no candle of the run opens at ${isoTime(time)}`);
  return index;
}

function elsewhere(verb: string, signals: readonly StrategySignal[]): string {
  if (signals.length === 0) return '';
  const at = signals.slice(0, 10).map((s) => s.index).join(', ');
  return ` It ${verb} on candle(s) ${at}${signals.length > 10 ? ', ...' : ''}.`;
}

function denialLines(run: StrategyRun): string[] {
  if (run.denials.length === 0) return [];
  const shown = run.denials.slice(0, 10).map((d) => `  ${d.order.side} ${d.order.symbol}: ${d.denial.code}, ${d.denial.message}`);
  return ['', `Orders refused (${run.denials.length}):`, ...shown];
}
