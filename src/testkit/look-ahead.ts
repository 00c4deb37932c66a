import { deriveSeed, Rng } from '../market/rng';
import type { Candle } from '../market/types';
import { resolveParams } from '../strategy/resolve-params';
import { StrategyRunner, type StrategyResult } from '../strategy/strategy-runner';
import type { ParamSpecs, ParamValues, StrategyDefinition } from '../strategy/types';
import { alterFuture, typicalMove } from './alter-future';
import { playedSeries } from './played-series';
import { PositionModel } from './position-model';
import { loadDefinition, type StrategyRef } from './strategy-source';

export interface LookAheadOptions<S extends ParamSpecs = ParamSpecs> {
  params?: Partial<ParamValues<S>>;
  /** Checks a cut every this many candles, from the end of the warm-up; default: about 50 cuts over the series. */
  every?: number;
  /** The cut points (candle indexes) to check, instead of `every`. */
  cuts?: readonly number[];
  /** Seed of the altered futures; default 1. */
  seed?: number;
  /** Where a strategy given by name is found; default the project's strategies/. */
  strategiesDir?: string;
}

/** A decision that changed when the strategy could not have known anything had changed. */
export interface LookAheadViolation {
  /** The last candle kept as it was. */
  cut: number;
  /** The candle whose decision differs; at or before `cut`. */
  index: number;
  /** Open time of that candle. */
  time: number;
  /**
   * 'altered': the candles after the cut were replaced by another future, so the strategy read candles it
   * had not been shown yet. 'removed': the candles after the cut were left out; with the same candles up to
   * the cut, the strategy is not deterministic (Math.random, the wall clock) or shares state between instances.
   */
  future: 'altered' | 'removed';
  /** Its decision in the run over all the candles, e.g. "enter: RSI crossed 30", "none". */
  expected: string;
  actual: string;
}

export interface LookAheadReport {
  ok: boolean;
  strategy: string;
  candles: number;
  cuts: number[];
  /** The first differing decision of each cut and kind of future, in cut order. */
  violations: LookAheadViolation[];
}

const DEFAULT_CUTS = 50;

/**
 * Checks that a strategy decides on each candle from that candle and the ones before it only. For each cut
 * point, the decisions up to the cut must be the same as in the run over all the candles, both when the
 * candles after the cut are left out and when they are replaced by a seeded, different future.
 *
 * It drives StrategyRunner, the code the engine's AnalysisAgent runs, with positions from PositionModel,
 * rather than running a backtest per cut: the decisions are the runner's output either way, and a cut costs
 * a few microseconds per candle instead of a whole engine start, so a few hundred runs stay well under a
 * second. A strategy that copied the data before the check (into a closure of its own) cannot be caught by
 * any check of this kind; one that keeps a reference to the array or its candles is.
 */
export function checkNoLookAhead<S extends ParamSpecs>(strategy: StrategyRef<S>, candles: readonly Candle[], options: LookAheadOptions<S> = {}): LookAheadReport {
  playedSeries(candles);
  const definition = loadDefinition(strategy as StrategyRef, options.strategiesDir);
  const params = resolveParams(definition, { ...options.params });
  const replay = (input: readonly Candle[], count: number): string[] => decisions(definition, params, input, count);
  // The caller's own array: the future is altered where a cheating strategy would look for it.
  const shared = candles as Candle[];
  const full = replay(shared, shared.length);
  const cuts = cutPoints(shared.length, new StrategyRunner(definition, params).warmup, options);
  const seed = options.seed ?? 1;
  const step = typicalMove(shared);
  const violations: LookAheadViolation[] = [];
  for (const cut of cuts) {
    const removed = replay(shared.slice(0, cut + 1), cut + 1);
    const restore = alterFuture(shared, cut, new Rng(deriveSeed(seed, `cut ${cut}`)), step);
    let altered: string[];
    try {
      altered = replay(shared, cut + 1);
    } finally {
      restore();
    }
    for (const [future, actual] of [['removed', removed], ['altered', altered]] as const) {
      const index = actual.findIndex((decision, i) => decision !== full[i]);
      if (index >= 0) violations.push({ cut, index, time: shared[index]!.time, future, expected: full[index]!, actual: actual[index]! });
    }
  }
  return { ok: violations.length === 0, strategy: definition.name, candles: shared.length, cuts, violations };
}

/** The strategy's decision on each of the first `count` candles, as text, from a fresh runner. */
function decisions(definition: StrategyDefinition, params: ParamValues<ParamSpecs>, candles: readonly Candle[], count: number): string[] {
  const runner = new StrategyRunner(definition, params);
  const positions = new PositionModel(runner.protection);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const candle = candles[i]!;
    const { position, fill } = positions.onCandle(candle);
    // As in the engine, the strategy hears of its fill before it sees the candle the fill happened in.
    const hook = fill === undefined ? undefined : runner.onFill(fill.fill, undefined, fill.position);
    const result = runner.onCandle(candle, position);
    positions.onResult(result);
    out.push(describeResult(hook?.kind === 'failed' ? hook : result));
  }
  return out;
}

function describeResult(result: StrategyResult): string {
  if (result.kind === 'none') return 'none';
  if (result.kind === 'failed') return `failed: ${result.error}`;
  // A signal, or any other answer the runner gives (one refused in the warm-up): all of it counts, details
  // included (an entry's size or stop, a reduce's fraction), whatever fields the runner adds over time.
  const { kind, action, reason, strength, ...details } = result as unknown as { kind: string; action: string; reason: string; strength?: number };
  const extras = [...(strength === undefined || strength === 1 ? [] : [`strength ${strength}`]), ...Object.entries(details).map(([key, value]) => `${key} ${String(value)}`)];
  return `${kind === 'signal' ? '' : `${kind} `}${action}: ${reason}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
}

function cutPoints(length: number, warmup: number, options: LookAheadOptions<ParamSpecs>): number[] {
  const last = length - 2;
  if (options.cuts !== undefined) {
    for (const cut of options.cuts) {
      if (!Number.isInteger(cut) || cut < 0 || cut > last) throw new RangeError(`cut ${cut} must be a candle index from 0 to ${last}: a cut needs a candle after it`);
    }
    return [...new Set(options.cuts)].sort((a, b) => a - b);
  }
  const every = options.every ?? Math.max(1, Math.ceil(length / DEFAULT_CUTS));
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`every ${every} must be a whole number of candles, 1 or more`);
  const cuts: number[] = [];
  // Decisions before the warm-up's last candle are ignored by the runner: nothing to compare there.
  for (let cut = Math.max(0, warmup - 1); cut <= last; cut += every) cuts.push(cut);
  return cuts;
}
