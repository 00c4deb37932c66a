import { errorMessage } from '../core/errors';
import { RingBuffer } from '../market/ring-buffer';
import { timeframeMs } from '../market/timeframe';
import type { Candle } from '../market/types';
import { levelsProblem } from '../execution/exit-levels';
import type { EntryLevels } from '../execution/types';
import { copyLevels } from './entry-levels';
import type { EntryProtection, Intent, ParamSpecs, ParamValues, StrategyContext, StrategyDefinition, StrategyFill, StrategyInstance } from './types';

/** What an intent adds to a signal beyond its action and reason: for an entry, its own exit levels. */
export interface SignalDetails extends EntryLevels {
  /** An entry's fraction of the stake, in (0, 1]. */
  size?: number;
  /** A reduce's fraction of the position, in (0, 1). */
  fraction?: number;
}

export type StrategyResult =
  | ({ kind: 'signal'; action: 'enter' | 'exit' | 'reduce'; reason: string; /** In [0, 1]; 1 when the strategy gave none. */ strength: number } & SignalDetails)
  | { kind: 'none' }
  /** The strategy signalled during its warm-up: not taken, but reported (signal.rejected, reason warm-up). */
  | { kind: 'warming-up'; action: 'enter' | 'exit' | 'reduce'; reason: string }
  /** The strategy broke and is now disabled; given once, on the candle it broke on. */
  | { kind: 'failed'; error: string };

/** The open position as the runner needs it; wider position views (PositionView) fit as they are. */
export type RunnerPosition = StrategyContext['position'];

interface SymbolState {
  instance: StrategyInstance;
  candleCount: number;
  recent: RingBuffer<Candle>;
  /** Bound once per symbol, so a context costs no closure per candle. */
  history: (count?: number) => readonly Candle[];
  /** The portfolio's view of the position last shown, and the strategy's copy of it: a copy per change, not per candle. */
  shownPosition: RunnerPosition;
  positionCopy: RunnerPosition;
}

const NONE: StrategyResult = { kind: 'none' };

/**
 * Runs one strategy with resolved parameters over the candles of every symbol: one instance per symbol,
 * warm-up enforced whatever the strategy returns, and its code kept at arm's length. A strategy that throws
 * or answers nonsense is user code gone wrong, not a bot failure: it is disabled for every symbol (its
 * state can no longer be trusted) and reported once, and the rest of the bot goes on.
 */
export class StrategyRunner {
  readonly name: string;
  /** Candles each symbol must see before its signals count (0 when warmup() failed: the runner is then disabled). */
  readonly warmup: number;
  /** The strategy's own stop-loss and take-profit, when it declares them. */
  readonly protection: EntryProtection | undefined;
  /** Candles each symbol keeps for `context.history()`. */
  readonly historyLength: number;
  private readonly params: ParamValues<ParamSpecs>;
  private readonly periodMs = new Map<string, number>();
  private lastTimeframe = '';
  private lastPeriodMs = 0;
  private readonly symbols = new Map<string, SymbolState>();
  private failure: string | undefined;
  private failureReported = false;

  constructor(
    private readonly definition: StrategyDefinition,
    params: ParamValues<ParamSpecs>,
  ) {
    this.name = definition.name;
    // Frozen because the same object is handed to every symbol's create(): one must not change another's.
    this.params = Object.freeze({ ...params });
    this.warmup = this.computeWarmup();
    this.protection = this.computeProtection();
    this.historyLength = this.computeHistoryLength();
  }

  private computeHistoryLength(): number {
    try {
      const length: unknown = this.definition.historyLength?.(this.params) ?? this.warmup;
      if (typeof length === 'number' && Number.isInteger(length) && length >= 0) return Math.max(1, length);
      this.failure ??= `historyLength() returned ${describe(length)}, not a whole number of candles`;
    } catch (err) {
      this.failure ??= `historyLength() threw: ${errorMessage(err)}`;
    }
    return 1;
  }

  private computeProtection(): EntryProtection | undefined {
    try {
      const protection = this.definition.protection?.(this.params);
      const problem = protection === undefined ? undefined : levelsProblem(protection as Record<string, unknown>);
      if (problem !== undefined) throw new Error(problem);
      return protection;
    } catch (err) {
      this.failure ??= `protection() is invalid: ${errorMessage(err)}`;
      return undefined;
    }
  }

  get disabled(): boolean {
    return this.failure !== undefined;
  }

  /** Why the strategy was disabled, if it was. */
  get error(): string | undefined {
    return this.failure;
  }

  onCandle(candle: Candle, position: RunnerPosition): StrategyResult {
    if (this.failure !== undefined) return this.reportFailureOnce();

    const state = this.stateFor(candle.symbol);
    if (state === undefined) return this.reportFailureOnce();
    state.candleCount += 1;
    state.recent.push(candle);

    const context = this.contextFor(candle, state, position);
    let intent: unknown;
    try {
      intent = state.instance.onCandle(candle, context);
    } catch (err) {
      return this.fail(`onCandle() threw on ${candle.symbol}: ${errorMessage(err)}`);
    }
    const problem = intentProblem(intent);
    if (problem !== undefined) return this.fail(`onCandle() on ${candle.symbol} returned an invalid intent: ${problem}`);

    // The strategy still sees every warm-up candle (its indicators need them); only its answer is ignored.
    const valid = intent as Intent;
    if (valid.action === 'none') return NONE;
    if (state.candleCount < this.warmup) return { kind: 'warming-up', action: valid.action, reason: valid.reason };
    const strength = valid.strength === undefined ? 1 : Math.min(1, Math.max(0, valid.strength));
    const result: StrategyResult = { kind: 'signal', action: valid.action, reason: valid.reason, strength };
    if (valid.action === 'enter') {
      copyLevels(valid, result);
      if (valid.size !== undefined) result.size = valid.size;
    } else if (valid.action === 'reduce') result.fraction = valid.fraction;
    return result;
  }

  /**
   * Tells the symbol's instance about a fill of its own order; a hook that throws disables the strategy.
   * `fill` may carry more (a broker's Fill does): the hook gets the StrategyFill fields alone, copied only
   * when there is a hook.
   */
  onFill(fill: StrategyFill, candle: Candle | undefined, position: RunnerPosition): StrategyResult {
    if (this.failure !== undefined) return this.reportFailureOnce();
    const state = this.symbols.get(fill.symbol);
    if (!state?.instance.onFill) return NONE;
    const last = candle ?? state.recent.newest();
    if (!last) return NONE;
    const { symbol, side, qty, price, fee, time, reason } = fill;
    try {
      state.instance.onFill({ symbol, side, qty, price, fee, time, reason }, this.contextFor(last, state, position));
    } catch (err) {
      return this.fail(`onFill() threw on ${fill.symbol}: ${errorMessage(err)}`);
    }
    return NONE;
  }

  private contextFor(candle: Candle, state: SymbolState, position: RunnerPosition): StrategyContext {
    if (position !== state.shownPosition) {
      state.shownPosition = position;
      state.positionCopy =
        position === undefined ? undefined : Object.freeze({ qty: position.qty, avgEntry: position.avgEntry, entryTime: position.entryTime });
    }
    return {
      symbol: candle.symbol,
      position: state.positionCopy,
      candleCount: state.candleCount,
      time: candle.time + this.periodOf(candle.timeframe),
      history: state.history,
    };
  }

  private periodOf(timeframe: string): number {
    // One timeframe per run in practice: the last answer saves a map lookup per candle.
    if (timeframe === this.lastTimeframe) return this.lastPeriodMs;
    let ms = this.periodMs.get(timeframe);
    if (ms === undefined) {
      ms = timeframeMs(timeframe);
      this.periodMs.set(timeframe, ms);
    }
    this.lastTimeframe = timeframe;
    this.lastPeriodMs = ms;
    return ms;
  }

  private computeWarmup(): number {
    try {
      const warmup: unknown = this.definition.warmup(this.params);
      if (typeof warmup === 'number' && Number.isInteger(warmup) && warmup >= 0) return warmup;
      this.failure = `warmup() returned ${describe(warmup)}, not a whole number of candles`;
    } catch (err) {
      this.failure = `warmup() threw: ${errorMessage(err)}`;
    }
    return 0;
  }

  /** The symbol's instance and candles are dropped; the next candle of it starts a new one. */
  forget(symbol: string): void {
    this.symbols.delete(symbol);
  }

  /** The symbol's instance, created on its first candle; undefined when create() failed (now disabled). */
  private stateFor(symbol: string): SymbolState | undefined {
    const existing = this.symbols.get(symbol);
    if (existing !== undefined) return existing;
    let instance: unknown;
    try {
      instance = this.definition.create(this.params);
    } catch (err) {
      this.failure = `create() threw for ${symbol}: ${errorMessage(err)}`;
      return undefined;
    }
    if (typeof instance !== 'object' || instance === null || typeof (instance as StrategyInstance).onCandle !== 'function') {
      this.failure = `create() for ${symbol} returned ${describe(instance)}, not an object with an onCandle() function`;
      return undefined;
    }
    const recent = new RingBuffer<Candle>(this.historyLength);
    const state: SymbolState = {
      instance: instance as StrategyInstance,
      candleCount: 0,
      recent,
      history: (count) => recent.last(count),
      shownPosition: undefined,
      positionCopy: undefined,
    };
    this.symbols.set(symbol, state);
    try {
      (instance as StrategyInstance).onStart?.({ symbol });
    } catch (err) {
      this.failure = `onStart() threw for ${symbol}: ${errorMessage(err)}`;
      return undefined;
    }
    return state;
  }

  private fail(error: string): StrategyResult {
    this.failure = error;
    return this.reportFailureOnce();
  }

  private reportFailureOnce(): StrategyResult {
    if (this.failureReported || this.failure === undefined) return NONE;
    this.failureReported = true;
    // Instances of a broken strategy are dropped so nothing keeps their indicators alive.
    this.symbols.clear();
    return { kind: 'failed', error: this.failure };
  }
}

/** What is wrong with a value returned as an Intent, or undefined when it is a valid one. */
function intentProblem(intent: unknown): string | undefined {
  if (typeof intent !== 'object' || intent === null) return `${describe(intent)} is not an intent object`;
  const i = intent as Record<string, unknown>;
  const action = i['action'];
  if (action === 'none') return undefined;
  if (action !== 'enter' && action !== 'exit' && action !== 'reduce') return `action ${describe(action)} is not "enter", "exit", "reduce" or "none"`;
  const reason = i['reason'];
  if (typeof reason !== 'string' || reason.trim() === '') return `an ${action} needs a non-empty reason, got ${describe(reason)}`;
  const strength = i['strength'];
  if (strength !== undefined && (typeof strength !== 'number' || Number.isNaN(strength))) {
    return `strength ${describe(strength)} is not a number`;
  }
  if (action === 'reduce') {
    const fraction = i['fraction'];
    if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) return `a reduce needs a fraction between 0 and 1 (exclusive), got ${describe(fraction)}`;
  }
  if (action === 'enter') {
    const size = i['size'];
    if (size !== undefined && (typeof size !== 'number' || !(size > 0 && size <= 1))) return `an entry's size must be in (0, 1], got ${describe(size)}`;
    const levels = levelsProblem(i);
    if (levels !== undefined) return levels;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined || typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  } catch {
    return String(value);
  }
}
