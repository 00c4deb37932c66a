import { errorMessage } from '../core/errors';
import type { Candle } from '../market/types';
import type { EntryProtection, Intent, ParamSpecs, ParamValues, StrategyContext, StrategyDefinition, StrategyInstance } from './types';

export type StrategyResult =
  | { kind: 'signal'; action: 'enter' | 'exit'; reason: string; /** In [0, 1]; 1 when the strategy gave none. */ strength: number }
  | { kind: 'none' }
  /** The strategy broke and is now disabled; given once, on the candle it broke on. */
  | { kind: 'failed'; error: string };

/** The open position as the runner needs it; wider position views (PositionView) fit as they are. */
export type RunnerPosition = StrategyContext['position'];

interface SymbolState {
  instance: StrategyInstance;
  candleCount: number;
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
  private readonly params: ParamValues<ParamSpecs>;
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
  }

  private computeProtection(): EntryProtection | undefined {
    try {
      const protection = this.definition.protection?.(this.params);
      for (const [name, value] of Object.entries(protection ?? {})) {
        if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
          throw new Error(`${name} must be a number of percent, 0 or more, got ${String(value)}`);
        }
      }
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

    const context: StrategyContext = {
      symbol: candle.symbol,
      position: position === undefined ? undefined : { qty: position.qty, avgEntry: position.avgEntry, entryTime: position.entryTime },
      candleCount: state.candleCount,
    };
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
    if (valid.action === 'none' || state.candleCount < this.warmup) return NONE;
    const strength = valid.strength === undefined ? 1 : Math.min(1, Math.max(0, valid.strength));
    return { kind: 'signal', action: valid.action, reason: valid.reason, strength };
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
    const state: SymbolState = { instance: instance as StrategyInstance, candleCount: 0 };
    this.symbols.set(symbol, state);
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
  if (action !== 'enter' && action !== 'exit') return `action ${describe(action)} is not "enter", "exit" or "none"`;
  const reason = i['reason'];
  if (typeof reason !== 'string' || reason.trim() === '') return `an ${action} needs a non-empty reason, got ${describe(reason)}`;
  const strength = i['strength'];
  if (strength !== undefined && (typeof strength !== 'number' || Number.isNaN(strength))) {
    return `strength ${describe(strength)} is not a number`;
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
