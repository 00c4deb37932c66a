import { UserError } from '../../../src/core/errors';
import { buildParamSpace, describeSpace, dimensionValue, parseParamRanges, spaceSize, type Dimension } from '../../../src/optimize/param-space';
import { demo } from './demo-strategy';

function space(ranges?: unknown) {
  return buildParamSpace(demo, ranges as Record<string, unknown> | undefined);
}

function values(d: Dimension | undefined): unknown[] {
  if (d === undefined || d.kind === 'continuous') throw new Error('not a discrete dimension');
  return Array.from({ length: d.kind === 'list' ? d.values.length : d.count }, (_, i) => dimensionValue(d, i));
}

function refusal(ranges: string): string {
  try {
    space(parseParamRanges(ranges));
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error(`${ranges} was accepted`);
}

describe('the parameter space', () => {
  it('comes from the specs without --params: bounded numbers in steps, booleans, string choices; the rest fixed', () => {
    const s = space(undefined);
    expect(s.order).toEqual(['fast', 'slow', 'pct', 'free', 'long', 'mode', 'label', 'stepped']);
    expect(s.dimensions.map((d) => [d.name, d.kind])).toEqual([
      ['fast', 'steps'],
      ['slow', 'steps'],
      ['pct', 'continuous'],
      ['long', 'list'],
      ['mode', 'list'],
      ['stepped', 'steps'],
    ]);
    expect(s.dimensions[0]).toMatchObject({ min: 1, step: 1, count: 1000 });
    expect(s.dimensions[1]).toMatchObject({ min: 2, step: 1, count: 4999 });
    expect(s.dimensions[2]).toMatchObject({ min: 0, max: 5 });
    expect(values(s.dimensions[3])).toEqual([false, true]);
    expect(values(s.dimensions[4])).toEqual(['a', 'b', 'c']);
    // A spec's own step is used when it has one.
    expect(values(s.dimensions[5])).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(s.fixed).toEqual({ free: 7, label: 'x' });
    expect(spaceSize(s)).toBe(Infinity);
  });

  it('takes lists, {min,max,step} ranges and single values from --params; parameters not named keep their defaults', () => {
    const s = space(parseParamRanges('{"fast":[5,10],"slow":{"min":20,"max":60,"step":10},"pct":2,"long":[true],"mode":["c","a"]}'));
    expect(s.dimensions.map((d) => d.name)).toEqual(['fast', 'slow', 'mode']);
    expect(values(s.dimensions[0])).toEqual([5, 10]);
    expect(values(s.dimensions[1])).toEqual([20, 30, 40, 50, 60]);
    expect(values(s.dimensions[2])).toEqual(['c', 'a']);
    expect(s.fixed).toEqual({ pct: 2, free: 7, long: true, label: 'x', stepped: 1 });
    expect(spaceSize(s)).toBe(20);
    expect(describeSpace(s)).toEqual({
      vary: { fast: [5, 10], slow: { min: 20, max: 60, step: 10, count: 5 }, mode: ['c', 'a'] },
      fixed: { pct: 2, free: 7, long: true, label: 'x', stepped: 1 },
    });
  });

  it('fills a range from the spec: bounds, step 1 for an integer, continuous for a number without a step', () => {
    expect(values(space({ fast: { max: 5 } }).dimensions[0])).toEqual([1, 2, 3, 4, 5]);
    expect(space({ pct: { min: 1 } }).dimensions[0]).toEqual({ name: 'pct', kind: 'continuous', min: 1, max: 5 });
    expect(values(space({ stepped: { max: 1 } }).dimensions[0])).toEqual([0, 0.5, 1]);
    // Decimal steps land on the decimal values, the end included.
    expect(values(space({ pct: { min: 0, max: 1, step: 0.1 } }).dimensions[0])).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    // A step that does not divide the span stops below max.
    expect(values(space({ fast: { min: 5, max: 20, step: 4 } }).dimensions[0])).toEqual([5, 9, 13, 17]);
    // A range of one value is a fixed value.
    expect(space({ fast: { min: 5, max: 5 } }).fixed['fast']).toBe(5);
  });

  it('refuses values outside the spec, naming the parameter, with the backtest\'s wording', () => {
    expect(refusal('{"fast":{"min":0,"max":10}}')).toBe('--params: strategy "demo" parameter "fast" must be between 1 and 1000, got 0');
    expect(refusal('{"slow":[20,6000]}')).toBe('--params: strategy "demo" parameter "slow" must be between 2 and 5000, got 6000');
    expect(refusal('{"fast":[2.5]}')).toBe('--params: strategy "demo" parameter "fast" must be an integer, got 2.5');
    expect(refusal('{"mode":["a","z"]}')).toBe('--params: strategy "demo" parameter "mode" must be one of "a", "b", "c", got the string "z"');
    expect(refusal('{"long":["yes"]}')).toBe('--params: strategy "demo" parameter "long" must be true or false, got the string "yes"');
    expect(refusal('{"nope":[1]}')).toBe('--params: strategy "demo" has no parameter "nope" (known: fast, slow, pct, free, long, mode, label, stepped)');
  });

  it('refuses malformed ranges with one sentence naming the parameter', () => {
    expect(refusal('{"fast":[5,20,5]}')).toBe('--params "fast" lists 5 twice; a list holds distinct values (for a range write {"min":..,"max":..,"step":..})');
    expect(refusal('{"fast":[]}')).toBe('--params "fast" is an empty list; give at least one value');
    expect(refusal('{"fast":{"min":20,"max":10}}')).toBe('--params "fast" has min 20 above max 10');
    expect(refusal('{"fast":{"min":1,"max":10,"step":0}}')).toBe('--params "fast" step must be a positive number, got 0');
    expect(refusal('{"fast":{"min":1,"max":10,"step":1.5}}')).toBe('--params "fast" step must be a whole number, as the parameter is an integer, got 1.5');
    expect(refusal('{"fast":{"from":1}}')).toBe('--params "fast" has an unknown key "from"; a range takes "min", "max" and "step"');
    expect(refusal('{"free":{"min":1}}')).toBe('--params "free" needs a "max": the strategy sets no upper bound for it');
    expect(refusal('{"long":{"min":0}}')).toBe('--params "long" is a boolean parameter, so it takes a list of values (e.g. [false,true]), not a range');
    expect(refusal('{"fast":5')).toMatch(/^--params is not valid JSON \(.+\); give an object of ranges like '\{"fast":\[5,10,20\],"slow":\{"min":20,"max":60,"step":10\}\}'$/);
    expect(refusal('[1,2]')).toBe(`--params must be a JSON object of ranges like '{"fast":[5,10,20],"slow":{"min":20,"max":60,"step":10}}'`);
  });
});
