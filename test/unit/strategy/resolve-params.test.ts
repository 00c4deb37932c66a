import { UserError } from '../../../src/core/errors';
import { resolveParams } from '../../../src/strategy/resolve-params';
import { defineStrategy, type ParamSpecs, type ParamValues, type StrategyDefinition } from '../../../src/strategy/types';

const demo = defineStrategy({
  name: 'demo',
  description: 'A strategy with one parameter of each kind.',
  params: {
    period: { type: 'number', default: 14, min: 2, max: 100, integer: true },
    level: { type: 'number', default: 30, min: 1, max: 50 },
    ratio: { type: 'number', default: 0.5, min: 0 },
    short: { type: 'boolean', default: false },
    source: { type: 'string', default: 'close', values: ['close', 'open'] },
    label: { type: 'string', default: 'x' },
  },
  warmup: ({ period }) => period,
  create: () => ({ onCandle: () => ({ action: 'none' }) }),
});

function errorOf(given: Record<string, unknown>, definition: StrategyDefinition<ParamSpecs> = demo): Error {
  try {
    resolveParams(definition, given);
  } catch (err) {
    return err as Error;
  }
  throw new Error('resolveParams accepted the parameters');
}

describe('resolveParams', () => {
  const defaults = { period: 14, level: 30, ratio: 0.5, short: false, source: 'close', label: 'x' };

  it('gives every default when no parameters are given', () => {
    expect(resolveParams(demo, undefined)).toEqual(defaults);
    expect(resolveParams(demo, {})).toEqual(defaults);
  });

  it('overlays the given values on the defaults', () => {
    expect(resolveParams(demo, { period: 20, short: true, source: 'open', label: 'free text' })).toEqual({
      ...defaults,
      period: 20,
      short: true,
      source: 'open',
      label: 'free text',
    });
  });

  it('accepts values exactly on the bounds', () => {
    expect(resolveParams(demo, { period: 2, level: 50 })).toMatchObject({ period: 2, level: 50 });
    expect(resolveParams(demo, { period: 100, level: 1 })).toMatchObject({ period: 100, level: 1 });
  });

  it('refuses an unknown parameter and lists the known ones', () => {
    const err = errorOf({ peroid: 20 });
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe('strategy "demo" has no parameter "peroid" (known: period, level, ratio, short, source, label).');
  });

  it('refuses any parameter for a strategy that takes none', () => {
    const bare = defineStrategy({
      name: 'bare',
      description: 'A strategy without parameters.',
      params: {},
      warmup: () => 1,
      create: () => ({ onCandle: () => ({ action: 'none' }) }),
    });
    expect(errorOf({ period: 3 }, bare).message).toBe('strategy "bare" has no parameter "period" (it takes no parameters).');
  });

  it.each([
    ['a number given as text', { period: '20' }, 'strategy "demo" parameter "period" must be a finite number, got the string "20".'],
    ['NaN', { level: Number.NaN }, 'strategy "demo" parameter "level" must be a finite number, got NaN.'],
    ['Infinity', { ratio: Number.POSITIVE_INFINITY }, 'strategy "demo" parameter "ratio" must be a finite number, got Infinity.'],
    ['null', { period: null }, 'strategy "demo" parameter "period" must be a finite number, got null.'],
    ['a boolean given as text', { short: 'yes' }, 'strategy "demo" parameter "short" must be true or false, got the string "yes".'],
    ['a number for a string', { label: 3 }, 'strategy "demo" parameter "label" must be a string, got 3.'],
    ['an array for a string', { label: ['a'] }, 'strategy "demo" parameter "label" must be a string, got an array.'],
  ])('refuses a value of the wrong type: %s', (_case, given, message) => {
    const err = errorOf(given);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(message);
  });

  it.each([
    [{ period: 1 }, 'strategy "demo" parameter "period" must be between 2 and 100, got 1.'],
    [{ period: 101 }, 'strategy "demo" parameter "period" must be between 2 and 100, got 101.'],
    [{ level: 0.5 }, 'strategy "demo" parameter "level" must be between 1 and 50, got 0.5.'],
    [{ ratio: -0.1 }, 'strategy "demo" parameter "ratio" must be at least 0, got -0.1.'],
  ])('refuses a value out of range: %j', (given, message) => {
    expect(errorOf(given).message).toBe(message);
  });

  it('refuses a fraction for an integer parameter', () => {
    expect(errorOf({ period: 14.5 }).message).toBe('strategy "demo" parameter "period" must be an integer, got 14.5.');
  });

  it('accepts a fraction for a parameter that is not an integer', () => {
    expect(resolveParams(demo, { level: 27.5 }).level).toBe(27.5);
  });

  it('refuses a string outside the allowed values and lists them', () => {
    expect(errorOf({ source: 'hl2' }).message).toBe('strategy "demo" parameter "source" must be one of "close", "open", got the string "hl2".');
  });

  describe('with a cross-parameter check on the definition', () => {
    const specs = {
      fast: { type: 'number', default: 12 },
      slow: { type: 'number', default: 26 },
    } satisfies ParamSpecs;
    // `validate` is not in the contract yet, so the definition is built without defineStrategy's excess-property check.
    const checked: StrategyDefinition<typeof specs> & { validate(p: ParamValues<typeof specs>): string | undefined } = {
      name: 'checked',
      description: 'A strategy with a cross-parameter rule.',
      params: specs,
      warmup: ({ slow }) => slow,
      create: () => ({ onCandle: () => ({ action: 'none' }) }),
      validate: ({ fast, slow }) => (slow > fast ? undefined : `slow (${slow}) must be greater than fast (${fast})`),
    };

    it('refuses a combination the check rejects, with its reason', () => {
      const err = errorOf({ fast: 30 }, checked as unknown as StrategyDefinition);
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).toBe('strategy "checked" refuses these parameters: slow (26) must be greater than fast (30).');
    });

    it('accepts a combination the check passes', () => {
      expect(resolveParams(checked, { fast: 5 })).toEqual({ fast: 5, slow: 26 });
    });
  });
});
