/**
 * The parameter space an optimization searches: one dimension per parameter that varies, the other
 * parameters fixed. It comes from the strategy's parameter specs, or from `--params` ranges when given:
 *
 * - without `--params`: every parameter with a finite range varies over it: a number with `min` and `max`
 *   in steps of its spec's `step` (1 for an integer; a non-integer number without a step is continuous:
 *   random sampling only), a boolean over false and true, a string over its `values`. A number without
 *   both bounds, or a free string, stays at its default.
 * - with `--params '<json object>'`: each named parameter takes
 *     a list          `[5, 10, 20]`                  exactly these values (distinct),
 *     a range         `{"min":5,"max":20,"step":5}`  numbers only; a bound or step left out comes from the
 *                                                    spec (step: 1 for an integer, else continuous),
 *     a single value  `10`                           fixed,
 *   and every parameter not named stays at its default.
 *
 * Every value (a list's, a range's ends) is checked against the spec with the bot's own parameter check,
 * so an error reads the same as for a backtest: one sentence naming the strategy, parameter and value.
 */
import { UserError, errorMessage } from '../core/errors';
import { resolveParams } from '../strategy/resolve-params';
import type { ParamSpec, ParamValue, Params, StrategyDefinition } from '../strategy/types';

/** A parameter's values: a list, `count` steps from `min`, or a continuous interval (random sampling only). */
export type Dimension =
  | { name: string; kind: 'list'; values: readonly ParamValue[] }
  | { name: string; kind: 'steps'; min: number; step: number; count: number; integer: boolean }
  | { name: string; kind: 'continuous'; min: number; max: number };

export interface ParamSpace {
  strategy: string;
  /** In the order of the strategy's parameter specs. */
  dimensions: Dimension[];
  fixed: Params;
  /** Parameter names in spec order: the key order of every trial's params. */
  order: string[];
}

const RANGE_EXAMPLE = `'{"fast":[5,10,20],"slow":{"min":20,"max":60,"step":10}}'`;

/** `--params` text: a JSON object of parameter name -> list, range or single value. */
export function parseParamRanges(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`--params is not valid JSON (${errorMessage(err)}); give an object of ranges like ${RANGE_EXAMPLE}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`--params must be a JSON object of ranges like ${RANGE_EXAMPLE}`);
  }
  return value as Record<string, unknown>;
}

export function buildParamSpace(definition: StrategyDefinition, ranges: Record<string, unknown> | undefined): ParamSpace {
  const specs = definition.params;
  for (const name of Object.keys(ranges ?? {})) {
    // Unknown names: the bot's own message, which lists the known ones.
    if (!Object.hasOwn(specs, name)) checkValue(definition, name, undefined);
  }
  const dimensions: Dimension[] = [];
  const fixed: Params = {};
  for (const [name, spec] of Object.entries(specs)) {
    const dimension =
      ranges === undefined
        ? dimensionFromSpec(name, spec)
        : Object.hasOwn(ranges, name)
          ? dimensionFromRange(definition, name, spec, ranges[name])
          : undefined;
    if (dimension === undefined) fixed[name] = spec.default;
    else if (dimension.kind === 'list' && dimension.values.length === 1) fixed[name] = dimension.values[0]!;
    else if (dimension.kind === 'steps' && dimension.count === 1) fixed[name] = dimension.min;
    else dimensions.push(dimension);
  }
  return { strategy: definition.name, dimensions, fixed, order: Object.keys(specs) };
}

/** Values in the space: the product of the dimensions' sizes; Infinity when one is continuous. */
export function spaceSize(space: ParamSpace): number {
  return space.dimensions.reduce((n, d) => n * dimensionSize(d), 1);
}

export function dimensionSize(d: Dimension): number {
  switch (d.kind) {
    case 'list':
      return d.values.length;
    case 'steps':
      return d.count;
    case 'continuous':
      return Infinity;
  }
}

/** The i-th value of a discrete dimension. */
export function dimensionValue(d: Exclude<Dimension, { kind: 'continuous' }>, i: number): ParamValue {
  if (d.kind === 'list') return d.values[i]!;
  return stepValue(d.min, d.step, i, d.integer);
}

/** A trial's params from one value per dimension, keys in spec order. */
export function paramsOf(space: ParamSpace, values: ReadonlyMap<string, ParamValue>): Params {
  const params: Params = {};
  for (const name of space.order) {
    const value = values.get(name) ?? space.fixed[name];
    if (value !== undefined) params[name] = value;
  }
  return params;
}

/** The space as JSON for the results file: each dimension's values (or interval), and the fixed values. */
export function describeSpace(space: ParamSpace): { vary: Record<string, unknown>; fixed: Params } {
  const vary: Record<string, unknown> = {};
  for (const d of space.dimensions) {
    if (d.kind === 'list') vary[d.name] = [...d.values];
    else if (d.kind === 'steps') vary[d.name] = { min: d.min, max: stepValue(d.min, d.step, d.count - 1, d.integer), step: d.step, count: d.count };
    else vary[d.name] = { min: d.min, max: d.max };
  }
  return { vary, fixed: { ...space.fixed } };
}

function dimensionFromSpec(name: string, spec: ParamSpec): Dimension | undefined {
  switch (spec.type) {
    case 'boolean':
      return { name, kind: 'list', values: [false, true] };
    case 'string':
      return spec.values !== undefined ? { name, kind: 'list', values: [...spec.values] } : undefined;
    case 'number': {
      if (spec.min === undefined || spec.max === undefined) return undefined;
      return numberDimension(name, spec.min, spec.max, specStep(spec), spec.integer === true);
    }
  }
}

function dimensionFromRange(definition: StrategyDefinition, name: string, spec: ParamSpec, range: unknown): Dimension {
  if (Array.isArray(range)) {
    if (range.length === 0) throw new UserError(`--params "${name}" is an empty list; give at least one value`);
    const seen = new Set<string>();
    for (const value of range) {
      checkValue(definition, name, value);
      const key = JSON.stringify(value);
      if (seen.has(key)) {
        throw new UserError(
          `--params "${name}" lists ${key} twice; a list holds distinct values (for a range write {"min":..,"max":..,"step":..})`,
        );
      }
      seen.add(key);
    }
    return { name, kind: 'list', values: range as ParamValue[] };
  }
  if (typeof range === 'object' && range !== null) {
    if (spec.type !== 'number') {
      throw new UserError(`--params "${name}" is a ${spec.type} parameter, so it takes a list of values (e.g. ${exampleList(spec)}), not a range`);
    }
    return rangeDimension(definition, name, spec, range as Record<string, unknown>);
  }
  checkValue(definition, name, range);
  return { name, kind: 'list', values: [range as ParamValue] };
}

function rangeDimension(definition: StrategyDefinition, name: string, spec: Extract<ParamSpec, { type: 'number' }>, range: Record<string, unknown>): Dimension {
  for (const key of Object.keys(range)) {
    if (key !== 'min' && key !== 'max' && key !== 'step') {
      throw new UserError(`--params "${name}" has an unknown key "${key}"; a range takes "min", "max" and "step"`);
    }
  }
  const bound = (key: 'min' | 'max'): number => {
    const value = range[key] ?? spec[key];
    if (value === undefined) {
      throw new UserError(`--params "${name}" needs a "${key}": the strategy sets no ${key === 'min' ? 'lower' : 'upper'} bound for it`);
    }
    checkValue(definition, name, value);
    return value as number;
  };
  const min = bound('min');
  const max = bound('max');
  if (min > max) throw new UserError(`--params "${name}" has min ${min} above max ${max}`);
  const integer = spec.integer === true;
  let step: number | undefined;
  if (range['step'] !== undefined) {
    const given = range['step'];
    if (typeof given !== 'number' || !Number.isFinite(given) || given <= 0) {
      throw new UserError(`--params "${name}" step must be a positive number, got ${JSON.stringify(given)}`);
    }
    if (integer && !Number.isInteger(given)) throw new UserError(`--params "${name}" step must be a whole number, as the parameter is an integer, got ${given}`);
    step = given;
  } else {
    step = specStep(spec);
  }
  return numberDimension(name, min, max, step, integer);
}

function numberDimension(name: string, min: number, max: number, step: number | undefined, integer: boolean): Dimension {
  if (step === undefined) return { name, kind: 'continuous', min, max };
  // A tiny tolerance so that 0..1 in steps of 0.1 ends on 1 despite binary fractions.
  const count = Math.floor((max - min) / step + 1e-9) + 1;
  return { name, kind: 'steps', min, step, count, integer };
}

/** The spec's step (a field some strategies add; the contract may not declare it), else 1 for an integer. */
function specStep(spec: Extract<ParamSpec, { type: 'number' }>): number | undefined {
  const declared = (spec as { step?: unknown }).step;
  if (typeof declared === 'number' && Number.isFinite(declared) && declared > 0) return declared;
  return spec.integer === true ? 1 : undefined;
}

function stepValue(min: number, step: number, i: number, integer: boolean): number {
  const raw = min + i * step;
  // 0.1 + 2 x 0.1 is 0.30000000000000004: twelve significant digits give back the value the user meant.
  return integer ? Math.round(raw) : Number(raw.toPrecision(12));
}

/** Checks one value against its spec through resolveParams, so messages match the backtest's exactly. */
function checkValue(definition: StrategyDefinition, name: string, value: unknown): void {
  try {
    // The strategy's validate() spans parameters; here one value is checked on its own.
    resolveParams({ ...definition, validate: undefined }, { [name]: value });
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`--params: ${err.message.replace(/\.$/, '')}`);
    throw err;
  }
}

function exampleList(spec: ParamSpec): string {
  if (spec.type === 'boolean') return '[false,true]';
  if (spec.type === 'string') return JSON.stringify(spec.values ?? [spec.default]);
  return `[${spec.default}]`;
}
