import { EquityCurve, maxDrawdownPct } from '../../../src/backtest/equity-curve';

const HOUR = 3_600_000;

function curveOf(equities: number[], inPosition: boolean[] = []): EquityCurve {
  const curve = new EquityCurve();
  equities.forEach((equity, i) => curve.record(i * HOUR, equity, inPosition[i] ?? false));
  return curve;
}

describe('EquityCurve', () => {
  it('gives each point its fall from the highest equity so far, in percent', () => {
    // peaks: 100, 120, 120, 130, 130; 120 -> 90 is 30 / 120 = 25 %; 130 -> 104 is 26 / 130 = 20 %
    const points = curveOf([100, 120, 90, 130, 104]).points();
    expect(points.map((p) => p.equity)).toEqual([100, 120, 90, 130, 104]);
    expect(points[0]?.drawdownPct).toBe(0);
    expect(points[1]?.drawdownPct).toBe(0);
    expect(points[2]?.drawdownPct).toBeCloseTo(25, 12);
    expect(points[3]?.drawdownPct).toBe(0);
    expect(points[4]?.drawdownPct).toBeCloseTo(20, 12);
  });

  it('finds the deepest drawdown, not the last one', () => {
    // 25 % (120 -> 90) beats 20 % (130 -> 104)
    expect(maxDrawdownPct([100, 120, 90, 130, 104])).toBeCloseTo(25, 12);
    expect(maxDrawdownPct([])).toBe(0);
    expect(maxDrawdownPct([100, 100, 150])).toBe(0);
  });

  it('keeps the time and position flag of every point', () => {
    const points = curveOf([100, 101, 102], [false, true, false]).points();
    expect(points.map((p) => p.time)).toEqual([0, HOUR, 2 * HOUR]);
    expect(points.map((p) => p.inPosition)).toEqual([false, true, false]);
  });

  it('replaces the last point when the same time is recorded again', () => {
    const curve = new EquityCurve();
    curve.record(0, 100, false);
    curve.record(HOUR, 110, true);
    curve.record(HOUR, 95, false);
    // one point per time; 100 -> 95 falls 5 / 100 = 5 %
    expect(curve.length).toBe(2);
    expect(curve.points()[1]).toEqual({ time: HOUR, equity: 95, drawdownPct: 5, inPosition: false });
    expect(curve.inPositionCount).toBe(0);
  });

  it('forgets the peak of a replaced point', () => {
    const curve = new EquityCurve();
    curve.record(0, 100, false);
    curve.record(HOUR, 150, true);
    curve.record(HOUR, 90, true);
    // the 150 never happened: 100 -> 90 is 10 %, not 150 -> 90 = 40 %
    expect(curve.points()[1]?.drawdownPct).toBeCloseTo(10, 12);
    expect(maxDrawdownPct(curve.equityValues())).toBeCloseTo(10, 12);
    expect(curve.inPositionCount).toBe(1);
  });

  it('counts the points recorded with a position open', () => {
    expect(curveOf([1, 2, 3, 4], [true, false, true, true]).inPositionCount).toBe(3);
  });

  it('holds far more points than its first allocation', () => {
    const n = 5_000;
    const curve = curveOf(Array.from({ length: n }, (_, i) => 1_000 + i), Array.from({ length: n }, (_, i) => i % 2 === 0));
    expect(curve.length).toBe(n);
    const points = curve.points();
    expect(points).toHaveLength(n);
    expect(points[0]).toEqual({ time: 0, equity: 1_000, drawdownPct: 0, inPosition: true });
    expect(points[n - 1]).toEqual({ time: (n - 1) * HOUR, equity: 1_000 + n - 1, drawdownPct: 0, inPosition: false });
    // even indexes 0, 2, ..., 4998: 2500 of them
    expect(curve.inPositionCount).toBe(2_500);
    expect(Array.from(curve.equityValues())).toEqual(points.map((p) => p.equity));
  });

  it('keeps points across its storage chunks of 65,536, and replaces a point that opened a chunk', () => {
    const n = 150_000;
    const curve = curveOf(Array.from({ length: n }, (_, i) => 1_000 + (i % 1_000)), Array.from({ length: n }, (_, i) => i % 3 === 0));
    expect(curve.length).toBe(n);
    // 0, 3, ..., 149,997: 50,000 of them
    expect(curve.inPositionCount).toBe(50_000);
    const points = curve.points();
    for (const i of [65_535, 65_536, 131_071, 131_072, n - 1]) {
      expect(points[i]).toMatchObject({ time: i * HOUR, equity: 1_000 + (i % 1_000), inPosition: i % 3 === 0 });
    }
    const values = curve.equityValues();
    expect(values).toHaveLength(n);
    expect([values[65_535], values[65_536], values[n - 1]]).toEqual([1_535, 1_536, 1_999]);

    // Exactly 131,072 points fill two chunks; the next one opens a third, and recording its time again replaces it.
    const edge = curveOf(Array.from({ length: 131_073 }, () => 500));
    edge.record(131_072 * HOUR, 400, true);
    expect(edge.length).toBe(131_073);
    expect(edge.inPositionCount).toBe(1);
    expect(edge.points()[131_072]).toEqual({ time: 131_072 * HOUR, equity: 400, drawdownPct: 20, inPosition: true });
    expect(edge.equityValues()[131_072]).toBe(400);
  });

  it('shows points recorded after an earlier call to points()', () => {
    const curve = curveOf([100, 110]);
    expect(curve.points()).toHaveLength(2);
    curve.record(2 * HOUR, 99, false);
    expect(curve.points().map((p) => p.equity)).toEqual([100, 110, 99]);
    curve.record(2 * HOUR, 120, false);
    expect(curve.points().map((p) => p.equity)).toEqual([100, 110, 120]);
  });

  it('refuses a point earlier than the last one', () => {
    const curve = curveOf([100, 110]);
    expect(() => curve.record(0, 105, false)).toThrow(/before the last one/);
  });

  it('refuses a non-finite equity', () => {
    expect(() => new EquityCurve().record(0, Number.NaN, false)).toThrow(/finite/);
    expect(() => new EquityCurve().record(0, Infinity, false)).toThrow(/finite/);
  });

  it('reports no drawdown under a peak that is not positive', () => {
    expect(curveOf([0, -10]).points().map((p) => p.drawdownPct)).toEqual([0, 0]);
  });
});
