import { UserError } from '../core/errors';
import type { ParamSpec, ParamSpecs, ParamValue, ParamValues, StrategyDefinition } from './types';

/**
 * The parameter values a strategy runs with: its defaults overlaid with what the user gave. Anything the
 * strategy would have to guess about (an unknown name, a wrong type, a value out of bounds) is refused
 * with a UserError naming the strategy, the parameter and the value, so it stops the bot before it starts.
 */
export function resolveParams<S extends ParamSpecs>(
  definition: StrategyDefinition<S>,
  given: Record<string, unknown> | undefined,
): ParamValues<S> {
  const specs: ParamSpecs = definition.params;
  const known = Object.keys(specs);
  const resolved: Record<string, ParamValue> = {};

  for (const name of Object.keys(given ?? {})) {
    if (!Object.hasOwn(specs, name)) {
      const list = known.length > 0 ? `known: ${known.join(', ')}` : 'it takes no parameters';
      throw new UserError(`strategy "${definition.name}" has no parameter "${name}" (${list}).`);
    }
  }

  for (const [name, spec] of Object.entries(specs)) {
    const value = given !== undefined && Object.hasOwn(given, name) ? given[name] : undefined;
    if (value === undefined) {
      resolved[name] = spec.default;
      continue;
    }
    const problem = checkValue(spec, value);
    if (problem !== undefined) {
      throw new UserError(`strategy "${definition.name}" parameter "${name}" ${problem}, got ${describe(value)}.`);
    }
    resolved[name] = value as ParamValue;
  }

  // The loop above checked every value against its spec, which is what ParamValues<S> promises.
  const params = resolved as ParamValues<S>;
  if (definition.validate) {
    const refusal = definition.validate(params);
    if (refusal !== undefined) {
      throw new UserError(`strategy "${definition.name}" refuses these parameters: ${refusal}.`);
    }
  }
  return params;
}

/** Why `value` does not fit `spec` (finishing "parameter x ..."), or undefined when it fits. */
function checkValue(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
      if (spec.integer === true && !Number.isInteger(value)) return 'must be an integer';
      const below = spec.min !== undefined && value < spec.min;
      const above = spec.max !== undefined && value > spec.max;
      if (below || above) return `must be ${rangeText(spec.min, spec.max)}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string': {
      if (typeof value !== 'string') return 'must be a string';
      if (spec.values !== undefined && !spec.values.includes(value)) {
        return `must be one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`;
      }
      return undefined;
    }
  }
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `at least ${min}`;
  return `at most ${String(max)}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
