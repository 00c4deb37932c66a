import { UserError } from '../../../src/core/errors';
import { walkForwardPlan } from '../../../src/optimize/walk-forward';

const HOUR = 3_600_000;
const T0 = Date.UTC(2023, 0, 1);

describe('walk-forward splitting', () => {
  it('cuts the range into folds + 1 consecutive segments covering it, rolling folds testing on the next segment', () => {
    const plan = walkForwardPlan(T0, T0 + 799 * HOUR, HOUR, 3, 'rolling');
    expect(plan.segments).toEqual([0, 200, 400, 600].map((start) => ({ from: T0 + start * HOUR, to: T0 + (start + 199) * HOUR })));
    expect(plan.folds).toEqual([
      { fold: 1, inSample: plan.segments[0], outOfSample: plan.segments[1] },
      { fold: 2, inSample: plan.segments[1], outOfSample: plan.segments[2] },
      { fold: 3, inSample: plan.segments[2], outOfSample: plan.segments[3] },
    ]);
  });

  it('anchors every in-sample span at the start of the data', () => {
    const plan = walkForwardPlan(T0, T0 + 799 * HOUR, HOUR, 3, 'anchored');
    expect(plan.folds.map((f) => [f.inSample.from, f.inSample.to, f.outOfSample.from])).toEqual([
      [T0, T0 + 199 * HOUR, T0 + 200 * HOUR],
      [T0, T0 + 399 * HOUR, T0 + 400 * HOUR],
      [T0, T0 + 599 * HOUR, T0 + 600 * HOUR],
    ]);
  });

  it('gives the later segments the extra periods when they do not divide evenly, leaving none out', () => {
    const plan = walkForwardPlan(0, 9 * HOUR, HOUR, 2, 'rolling');
    expect(plan.segments.map((s) => (s.to - s.from) / HOUR + 1)).toEqual([3, 3, 4]);
    expect(plan.segments[0]!.from).toBe(0);
    expect(plan.segments[2]!.to).toBe(9 * HOUR);
    for (let i = 1; i < plan.segments.length; i++) expect(plan.segments[i]!.from).toBe(plan.segments[i - 1]!.to + HOUR);
  });

  it('refuses more folds than the data can hold', () => {
    expect(() => walkForwardPlan(0, 6 * HOUR, HOUR, 3, 'rolling')).toThrow(
      new UserError('--walk-forward 3 needs 4 segments of at least 2 candles, but the data spans 7 candle period(s); use fewer folds or more data'),
    );
    expect(walkForwardPlan(0, 7 * HOUR, HOUR, 3, 'rolling').segments).toHaveLength(4);
  });
});
