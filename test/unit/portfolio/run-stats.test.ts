import { RunStats } from '../../../src/portfolio/run-stats';

function statsOf(curve: number[]): RunStats {
  const stats = new RunStats();
  curve.forEach((equity, i) => stats.record(i * 1_000, equity));
  return stats;
}

describe('RunStats', () => {
  it('reports the deepest peak-to-trough fall, not the last one', () => {
    // 120 -> 90 falls 30 / 120 = 25 %; 130 -> 104 falls 26 / 130 = 20 %
    const stats = statsOf([100, 120, 90, 130, 104]);
    expect(stats.maxDrawdownPct).toBeCloseTo(25, 12);
    expect(stats.peakEquity).toBe(130);
    expect(stats.startEquity).toBe(100);
    expect(stats.lastEquity).toBe(104);
    expect(stats.startTime).toBe(0);
    expect(stats.lastTime).toBe(4_000);
    expect(stats.pointCount).toBe(5);
  });

  it('measures a fall from a later, higher peak against that peak', () => {
    // 100 -> 95 is 5 %; 200 -> 120 is 80 / 200 = 40 %
    expect(statsOf([100, 95, 200, 120]).maxDrawdownPct).toBeCloseTo(40, 12);
  });

  it('reports no drawdown on a curve that never falls', () => {
    expect(statsOf([100, 100, 101, 150]).maxDrawdownPct).toBe(0);
  });

  it('has no equity figures before the first point', () => {
    const stats = new RunStats();
    expect(stats.startEquity).toBeUndefined();
    expect(stats.lastEquity).toBeUndefined();
    expect(stats.peakEquity).toBeUndefined();
    expect(stats.maxDrawdownPct).toBe(0);
    expect(stats.pointCount).toBe(0);
  });

  it('refuses a non-finite equity', () => {
    expect(() => new RunStats().record(5, Number.NaN)).toThrow('equity at 5 is NaN');
  });
});
