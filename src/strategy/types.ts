/**
 * The strategy contract (first version). A strategy is declarative: a name, parameters with defaults and
 * bounds, a warm-up length, and a factory that builds one instance per symbol with its own indicators. The
 * instance sees each closed candle in time order and returns an intent; it never touches the exchange, the
 * ledger or the bus.
 */
import type { EntryLevels } from '../execution/types';
import type { Candle } from '../market/types';

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

export interface NumberParamSpec {
  type: 'number';
  default: number;
  min?: number;
  max?: number;
  /** Integers only (periods, lengths). */
  integer?: boolean;
  description?: string;
}
export interface BooleanParamSpec {
  type: 'boolean';
  default: boolean;
  description?: string;
}
export interface StringParamSpec {
  type: 'string';
  default: string;
  /** Allowed values, when the string is a choice. */
  values?: readonly string[];
  description?: string;
}
export type ParamSpec = NumberParamSpec | BooleanParamSpec | StringParamSpec;
export type ParamSpecs = Record<string, ParamSpec>;

/** The resolved parameter values of a spec: each key typed after its spec. */
export type ParamValues<S extends ParamSpecs> = {
  [K in keyof S]: S[K] extends NumberParamSpec
    ? number
    : S[K] extends BooleanParamSpec
      ? boolean
      : S[K] extends StringParamSpec
        ? string
        : ParamValue;
};

/** What the strategy knows besides the candle. Read-only: a strategy decides, it never changes the bot. */
export interface StrategyContext {
  readonly symbol: string;
  /** The open position in this symbol, if any. */
  readonly position: { readonly qty: number; readonly avgEntry: number; readonly entryTime: number } | undefined;
  /** Closed candles this instance has seen, this one included. */
  readonly candleCount: number;
  /** The time of the decision: this candle's close (ms since the epoch). */
  readonly time: number;
  /**
   * The last `count` closed candles of this symbol (all it keeps when left out), oldest first, this one last.
   * It keeps `historyLength` of them (default: the warm-up length); a new array on each call.
   */
  history(count?: number): readonly Candle[];
}

export type Intent =
  | {
      action: 'enter';
      reason: string;
      strength?: number;
      /** Fraction of the usual stake to spend, in (0, 1]; 1 when left out. */
      size?: number;
    } & EntryLevels
  | { action: 'exit'; reason: string; strength?: number }
  /** Sells `fraction` (in (0, 1)) of the open position and keeps the rest. */
  | { action: 'reduce'; reason: string; fraction: number; strength?: number }
  | { action: 'none' };

/** A fill of one of the strategy's own orders, as its onFill hook sees it. */
export interface StrategyFill {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
  readonly time: number;
  /** 'signal' for the strategy's own orders; 'stop-loss' / 'take-profit' when a protection closed the position. */
  readonly reason: string;
}

/**
 * A strategy's exit levels for its entries, each overriding the bot's `trade.*` key of the same name:
 * stop-loss, take-profit, take-profit ladder, trailing stop and ROI table (see EntryLevels).
 */
export type EntryProtection = EntryLevels;

export interface StrategyInstance {
  onCandle(candle: Candle, context: StrategyContext): Intent;
  /** Called once, before the instance's first candle. */
  onStart?(context: { readonly symbol: string }): void;
  /** Called when an order of this strategy in this symbol fills (in part or whole). */
  onFill?(fill: StrategyFill, context: StrategyContext): void;
}

export interface StrategyDefinition<S extends ParamSpecs = ParamSpecs> {
  /** Same as the file name in strategies/, e.g. 'rsi-mean-reversion'. */
  name: string;
  description: string;
  /**
   * The candle timeframe the strategy was designed and tested on, e.g. '1h'. It runs on whatever the bot's
   * timeframe is; a different one is warned about at start, since periods measured in candles then mean
   * other lengths of time.
   */
  timeframe?: string;
  params: S;
  /** Checks that span parameters (slow > fast); returns why they are wrong, or undefined. */
  validate?(params: ParamValues<S>): string | undefined;
  /**
   * Exit levels in percent around the entry price, for the entries of this strategy; each level absent
   * here is the bot's (trade.stopLossPct, trade.takeProfitTiers...). An entry's intent overrides these.
   */
  protection?(params: ParamValues<S>): EntryProtection;
  /** Closed candles needed before the indicators are stable; no signal is taken before then. */
  warmup(params: ParamValues<S>): number;
  /** Closed candles `context.history()` keeps per symbol; default: the warm-up length. */
  historyLength?(params: ParamValues<S>): number;
  create(params: ParamValues<S>): StrategyInstance;
}

/** Helps a strategy file keep its parameter types: `export default defineStrategy({...})`. */
export function defineStrategy<S extends ParamSpecs>(definition: StrategyDefinition<S>): StrategyDefinition<S> {
  return definition;
}
