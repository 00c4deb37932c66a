/**
 * The parameter sets an optimization runs, from its space: every combination (grid) or seeded samples
 * (random). Combinations the strategy's validate() refuses are skipped and counted, never run.
 */
import { UserError } from '../core/errors';
import { Rng } from '../market/rng';
import type { ParamValue, Params, StrategyDefinition } from '../strategy/types';
import { dimensionSize, dimensionValue, paramsOf, spaceSize, type Dimension, type ParamSpace } from './param-space';

export const GRID_CAP = 10_000;
/** Above this many combinations a random search draws values per dimension instead of shuffling indexes. */
const SHUFFLE_LIMIT = 10_000_000;

export interface TrialSet {
  /** In run order: a trial's index here is its id, and breaks ties in the ranking. */
  trials: Params[];
  /** Combinations (grid) or draws (random) the strategy's validate() refused. */
  refused: number;
  /** The first refusal's reason, to show what was skipped. */
  refusal?: string;
  /** Combinations in the space; null when a dimension is continuous. */
  combinations: number | null;
}

export function gridTrials(space: ParamSpace, definition: StrategyDefinition, cap = GRID_CAP): TrialSet {
  const continuous = space.dimensions.find((d) => d.kind === 'continuous');
  if (continuous) {
    throw new UserError(
      `the grid cannot enumerate "${continuous.name}", a non-integer number without a step; give it a step or a list in --params ` +
        `(e.g. '{"${continuous.name}":{"min":${continuous.min},"max":${continuous.max},"step":1}}') or use --method random`,
    );
  }
  const size = spaceSize(space);
  if (size > cap) {
    throw new UserError(
      `the grid has ${formatCount(size)} combinations, over the cap of ${formatCount(cap)}; narrow it with --params or use --method random --trials <n>`,
    );
  }
  const filter = new RefusalFilter(definition);
  const trials: Params[] = [];
  for (let index = 0; index < size; index++) {
    const params = paramsOf(space, combination(space.dimensions, index));
    if (filter.accepts(params)) trials.push(params);
  }
  return finish(trials, filter, size, definition);
}

/**
 * `count` distinct parameter sets drawn with a generator seeded by `seed`: the same seed gives the same
 * sets in the same order. A finite space is shuffled (no set drawn twice; all of it when `count` is
 * larger); a continuous or huge one is sampled value by value, duplicates drawn again.
 */
export function randomTrials(space: ParamSpace, definition: StrategyDefinition, count: number, seed: number): TrialSet {
  const rng = new Rng(seed);
  const filter = new RefusalFilter(definition);
  const trials: Params[] = [];
  const size = spaceSize(space);
  if (size <= SHUFFLE_LIMIT) {
    // A lazy Fisher-Yates shuffle of the indexes: only the swapped places are stored.
    const swapped = new Map<number, number>();
    for (let i = 0; i < size && trials.length < count; i++) {
      const j = rng.int(i, size - 1);
      const picked = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      const params = paramsOf(space, combination(space.dimensions, picked));
      if (filter.accepts(params)) trials.push(params);
    }
  } else {
    const seen = new Set<string>();
    const maxDraws = count * 100 + 1000;
    for (let draw = 0; draw < maxDraws && trials.length < count; draw++) {
      const values = new Map<string, ParamValue>(space.dimensions.map((d) => [d.name, sample(d, rng)]));
      const params = paramsOf(space, values);
      const key = JSON.stringify(params);
      if (seen.has(key)) continue;
      seen.add(key);
      if (filter.accepts(params)) trials.push(params);
    }
  }
  return finish(trials, filter, Number.isFinite(size) ? size : null, definition);
}

/** The combination at `index`, the last dimension varying fastest (as nested loops in spec order). */
export function combination(dimensions: readonly Dimension[], index: number): Map<string, ParamValue> {
  const values = new Map<string, ParamValue>();
  let rest = index;
  for (let k = dimensions.length - 1; k >= 0; k--) {
    const d = dimensions[k]!;
    if (d.kind === 'continuous') throw new Error(`dimension ${d.name} is continuous and has no index`);
    const size = dimensionSize(d);
    values.set(d.name, dimensionValue(d, rest % size));
    rest = Math.floor(rest / size);
  }
  return values;
}

function sample(d: Dimension, rng: Rng): ParamValue {
  if (d.kind !== 'continuous') return dimensionValue(d, rng.int(0, dimensionSize(d) - 1));
  // Six significant digits: readable parameters, and far finer than any strategy can tell apart.
  const value = Number(rng.between(d.min, d.max).toPrecision(6));
  return Math.min(d.max, Math.max(d.min, value));
}

class RefusalFilter {
  refused = 0;
  refusal: string | undefined;
  constructor(private readonly definition: StrategyDefinition) {}

  accepts(params: Params): boolean {
    const reason = this.definition.validate?.(params);
    if (reason === undefined) return true;
    this.refused += 1;
    this.refusal ??= reason;
    return false;
  }
}

function finish(trials: Params[], filter: RefusalFilter, combinations: number | null, definition: StrategyDefinition): TrialSet {
  if (trials.length === 0) {
    const why = filter.refusal !== undefined ? ` (e.g. ${filter.refusal})` : '';
    throw new UserError(`strategy "${definition.name}" refuses every parameter set of the search${why}; widen --params`);
  }
  return { trials, refused: filter.refused, ...(filter.refusal !== undefined ? { refusal: filter.refusal } : {}), combinations };
}

function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : 'infinitely many';
}
