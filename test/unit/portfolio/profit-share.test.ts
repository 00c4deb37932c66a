import { checkProfitShareSchedule, profitShareFee, type ProfitShareSchedule } from '../../../src/portfolio/profit-share';
import { boundaryAfter, boundaryAtOrBefore } from '../../../src/portfolio/profit-share-periods';

/** The README's worked example: three bands and a 2 % hurdle. */
const SCHEDULE: ProfitShareSchedule = {
  period: 'month',
  tiers: [{ upToPct: 10, sharePct: 10 }, { upToPct: 25, sharePct: 20 }, { sharePct: 30 }],
  hurdlePct: 2,
};

describe('profitShareFee', () => {
  it('taxes each band of the return at its rate, the hurdle exempt (README example, January)', () => {
    // Mark 10,000, equity 13,000: gain 3,000 (30 %); hurdle 200.
    // 200-1,000 at 10 % = 80; 1,000-2,500 at 20 % = 300; 2,500-3,000 at 30 % = 150.
    const { gain, fee, tiers } = profitShareFee(SCHEDULE, 10_000, 13_000);
    expect(gain).toBe(3000);
    expect(fee).toBeCloseTo(530, 9);
    expect(tiers).toEqual([
      { fromPct: 2, toPct: 10, sharePct: 10, amount: expect.closeTo(80, 9) },
      { fromPct: 10, toPct: 25, sharePct: 20, amount: expect.closeTo(300, 9) },
      { fromPct: 25, toPct: 30, sharePct: 30, amount: expect.closeTo(150, 9) },
    ]);
  });

  it('charges nothing on a loss, at the mark, or on a gain within the hurdle', () => {
    expect(profitShareFee(SCHEDULE, 12_470, 11_500)).toEqual({ gain: -970, fee: 0, tiers: [] });
    expect(profitShareFee(SCHEDULE, 10_000, 10_000).fee).toBe(0);
    expect(profitShareFee(SCHEDULE, 10_000, 10_200).fee).toBe(0);
  });

  it('takes a band only as far as the gain reaches (README example, March)', () => {
    // Mark 12,470, equity 14,000: gain 1,530; hurdle 249.4; band 1 ends at 1,247.
    // 249.4-1,247 at 10 % = 99.76; 1,247-1,530 at 20 % = 56.6.
    const { fee, tiers } = profitShareFee(SCHEDULE, 12_470, 14_000);
    expect(fee).toBeCloseTo(156.36, 9);
    expect(tiers.map((t) => t.amount)).toEqual([expect.closeTo(99.76, 9), expect.closeTo(56.6, 9)]);
    expect(tiers[1]!.toPct).toBeCloseTo((1530 / 12_470) * 100, 12);
  });

  it('lets a hurdle above a band skip the band', () => {
    const { tiers } = profitShareFee({ ...SCHEDULE, hurdlePct: 15 }, 10_000, 13_000);
    expect(tiers.map((t) => [t.fromPct, t.toPct])).toEqual([
      [15, 25],
      [25, 30],
    ]);
  });
});

describe('checkProfitShareSchedule', () => {
  const mistake = (value: unknown): { message: string; path: string } => {
    try {
      checkProfitShareSchedule(value);
    } catch (err) {
      const { message, path } = err as { message: string; path: string };
      return { message, path };
    }
    throw new Error('accepted');
  };

  it('accepts null and a whole schedule', () => {
    expect(() => checkProfitShareSchedule(null)).not.toThrow();
    expect(() => checkProfitShareSchedule(SCHEDULE)).not.toThrow();
    expect(() => checkProfitShareSchedule({ period: 'run', tiers: [{ sharePct: 20 }] })).not.toThrow();
  });

  it.each([
    [[], '', 'must be null (no profit sharing) or an object with period, tiers and hurdlePct'],
    [{ period: 'week', tiers: [{ sharePct: 1 }] }, '.period', 'must be "month", "quarter" or "run"'],
    [{ period: 'month', tiers: [] }, '.tiers', 'must be a non-empty list of tiers like {"upToPct": 10, "sharePct": 10}'],
    [{ period: 'month', tiers: [{ sharePct: 1 }], hurdle: 1 }, '.hurdle', 'is not a key of a profit-share schedule (period, tiers, hurdlePct)'],
    [{ period: 'month', tiers: [{ sharePct: 1 }], hurdlePct: -1 }, '.hurdlePct', 'must be a number of 0 or more (percent of the high-water mark)'],
    [{ period: 'month', tiers: [{ upToPct: 10, sharePct: 10 }, { upToPct: 5, sharePct: 20 }, { sharePct: 30 }] }, '.tiers[1].upToPct', 'must be above tiers[0].upToPct (10)'],
    [{ period: 'month', tiers: [{ sharePct: 10 }, { sharePct: 20 }] }, '.tiers[0].upToPct', 'is missing: only the last tier may leave it out'],
    [{ period: 'month', tiers: [{ upToPct: 10, sharePct: 10 }] }, '.tiers[0].upToPct', 'must be left out on the last tier, which has no upper bound'],
    [{ period: 'month', tiers: [{ sharePct: 101 }] }, '.tiers[0].sharePct', 'must be a number from 0 to 100'],
    [{ period: 'month', tiers: [{ upToPct: 0, sharePct: 1 }, { sharePct: 2 }] }, '.tiers[0].upToPct', 'must be a number greater than 0'],
    [{ period: 'month', tiers: [{ sharePct: 1, cap: 2 }] }, '.tiers[0].cap', 'is not a key of a tier (upToPct, sharePct)'],
  ])('refuses %j at %s', (value, path, message) => {
    expect(mistake(value)).toEqual({ path, message });
  });
});

describe('period boundaries (UTC calendar)', () => {
  it('ends a month at 00:00 UTC on the 1st, a quarter on 1 Jan, Apr, Jul, Oct', () => {
    const t = Date.UTC(2024, 4, 17, 13, 5);
    expect(boundaryAtOrBefore('month', t)).toBe(Date.UTC(2024, 4, 1));
    expect(boundaryAfter('month', t)).toBe(Date.UTC(2024, 5, 1));
    expect(boundaryAtOrBefore('quarter', t)).toBe(Date.UTC(2024, 3, 1));
    expect(boundaryAfter('quarter', t)).toBe(Date.UTC(2024, 6, 1));
  });

  it('goes on into the next year and counts a boundary itself as the start of the next period', () => {
    expect(boundaryAfter('month', Date.UTC(2024, 11, 31, 23, 59))).toBe(Date.UTC(2025, 0, 1));
    expect(boundaryAfter('quarter', Date.UTC(2024, 10, 2))).toBe(Date.UTC(2025, 0, 1));
    expect(boundaryAfter('month', Date.UTC(2024, 1, 1))).toBe(Date.UTC(2024, 2, 1));
    expect(boundaryAtOrBefore('month', Date.UTC(2024, 1, 1))).toBe(Date.UTC(2024, 1, 1));
  });

  it('gives a run no calendar end', () => {
    expect(boundaryAfter('run', 0)).toBe(Number.POSITIVE_INFINITY);
  });
});
