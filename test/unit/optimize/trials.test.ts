import { UserError } from '../../../src/core/errors';
import { buildParamSpace } from '../../../src/optimize/param-space';
import { gridTrials, randomTrials } from '../../../src/optimize/trials';
import { demo } from './demo-strategy';

const space = (ranges: Record<string, unknown>) => buildParamSpace(demo, ranges);
const pick = (params: Record<string, unknown>, ...names: string[]) => Object.fromEntries(names.map((n) => [n, params[n]]));

describe('grid search', () => {
  it('runs the cartesian product in spec order, the last parameter fastest, skipping and counting refused sets', () => {
    const set = gridTrials(space({ fast: [10, 20, 30], slow: [20, 40], long: [false, true] }), demo);
    expect(set.trials.map((p) => pick(p, 'fast', 'slow', 'long'))).toEqual([
      { fast: 10, slow: 20, long: false },
      { fast: 10, slow: 20, long: true },
      { fast: 10, slow: 40, long: false },
      { fast: 10, slow: 40, long: true },
      { fast: 20, slow: 40, long: false },
      { fast: 20, slow: 40, long: true },
      { fast: 30, slow: 40, long: false },
      { fast: 30, slow: 40, long: true },
    ]);
    expect(set).toMatchObject({ combinations: 12, refused: 4, refusal: 'slow (20) must be greater than fast (20)' });
    // Every trial carries every parameter, fixed ones included, in spec order.
    expect(Object.keys(set.trials[0]!)).toEqual(['fast', 'slow', 'pct', 'free', 'long', 'mode', 'label', 'stepped']);
  });

  it('refuses a grid over the cap, suggesting random search, and a continuous parameter', () => {
    expect(() => gridTrials(space({ fast: { min: 1, max: 100 }, slow: { min: 2, max: 200 } }), demo)).toThrow(
      new UserError('the grid has 19,900 combinations, over the cap of 10,000; narrow it with --params or use --method random --trials <n>'),
    );
    expect(() => gridTrials(space({ fast: [1, 2], pct: { min: 0, max: 2 } }), demo)).toThrow(/^the grid cannot enumerate "pct", a non-integer number without a step; .* or use --method random$/);
    expect(() => gridTrials(space({ fast: [50, 60], slow: [10, 20] }), demo)).toThrow(
      new UserError('strategy "demo" refuses every parameter set of the search (e.g. slow (10) must be greater than fast (50)); widen --params'),
    );
  });

  it('is one trial of the defaults when nothing varies', () => {
    expect(gridTrials(space({}), demo).trials).toEqual([{ fast: 10, slow: 30, pct: 1, free: 7, long: true, mode: 'a', label: 'x', stepped: 1 }]);
  });
});

describe('random search', () => {
  const big = space({ fast: { min: 1, max: 100 }, slow: { min: 2, max: 300 }, mode: ['a', 'b', 'c'] });

  it('draws the same distinct sets in the same order from the same seed, others from another seed', () => {
    const a = randomTrials(big, demo, 25, 7);
    const b = randomTrials(big, demo, 25, 7);
    const c = randomTrials(big, demo, 25, 8);
    expect(a.trials).toHaveLength(25);
    expect(b.trials).toEqual(a.trials);
    expect(c.trials).not.toEqual(a.trials);
    expect(new Set(a.trials.map((t) => JSON.stringify(t))).size).toBe(25);
    for (const t of a.trials) {
      expect(t['slow']).toBeGreaterThan(t['fast'] as number);
      expect(t['fast']).toBeGreaterThanOrEqual(1);
      expect(t['fast']).toBeLessThanOrEqual(100);
    }
    expect(a.combinations).toBe(100 * 299 * 3);
  });

  it('runs the whole space once when asked for more sets than it holds', () => {
    const small = space({ fast: [5, 10, 20], slow: [10, 30] });
    const set = randomTrials(small, demo, 50, 1);
    expect(set.trials).toHaveLength(4);
    expect(set.refused).toBe(2);
    expect(set.trials.map((t) => `${t['fast']}/${t['slow']}`).sort()).toEqual(['10/30', '20/30', '5/10', '5/30']);
  });

  it('samples a continuous parameter inside its bounds, to six significant digits', () => {
    const set = randomTrials(space({ pct: { min: 0.5, max: 2.5 }, long: [false, true] }), demo, 40, 3);
    expect(set.combinations).toBeNull();
    expect(set.trials).toHaveLength(40);
    for (const t of set.trials) {
      const pct = t['pct'] as number;
      expect(pct).toBeGreaterThanOrEqual(0.5);
      expect(pct).toBeLessThanOrEqual(2.5);
      expect(Number(pct.toPrecision(6))).toBe(pct);
    }
    expect(randomTrials(space({ pct: { min: 0.5, max: 2.5 } }), demo, 40, 3).trials).toEqual(randomTrials(space({ pct: { min: 0.5, max: 2.5 } }), demo, 40, 3).trials);
  });
});
