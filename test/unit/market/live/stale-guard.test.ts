import { StaleGuard } from '../../../../src/market/live/stale-guard';

const MINUTE = 60_000;

describe('StaleGuard', () => {
  it('calls a symbol stale after three missed updates, never sooner than the floor', () => {
    expect(new StaleGuard({ timeframeMs: MINUTE, floorMs: 60_000 }).thresholdMs).toBe(3 * MINUTE);
    expect(new StaleGuard({ timeframeMs: MINUTE, floorMs: 60_000, expectedIntervalMs: 15_000 }).thresholdMs).toBe(60_000);
    expect(new StaleGuard({ timeframeMs: MINUTE, floorMs: 10_000, expectedIntervalMs: 15_000 }).thresholdMs).toBe(45_000);
  });

  it('reports stale once, then resumed with the length of the silence', () => {
    const guard = new StaleGuard({ timeframeMs: MINUTE, floorMs: 30_000, expectedIntervalMs: 10_000 });
    guard.update('A', 0);
    guard.update('B', 0);
    guard.update('A', 20_000);
    expect(guard.check(30_000)).toEqual([]);
    expect(guard.check(30_001)).toEqual([{ kind: 'stale', symbol: 'B', lastUpdate: 0, thresholdMs: 30_000 }]);
    expect(guard.check(60_000)).toEqual([{ kind: 'stale', symbol: 'A', lastUpdate: 20_000, thresholdMs: 30_000 }]);
    expect(guard.check(90_000)).toEqual([]);
    guard.update('B', 95_000);
    guard.update('B', 96_000);
    expect(guard.check(97_000)).toEqual([{ kind: 'resumed', symbol: 'B', staleForMs: 95_000 }]);
    expect(guard.check(98_000)).toEqual([]);
    // B can go stale again, from its latest update.
    expect(guard.check(126_001)).toEqual([{ kind: 'stale', symbol: 'B', lastUpdate: 96_000, thresholdMs: 30_000 }]);
  });

  it('forgets a symbol whose feed ended', () => {
    const guard = new StaleGuard({ timeframeMs: MINUTE, floorMs: 0 });
    guard.update('A', 0);
    guard.forget('A');
    expect(guard.check(10 * MINUTE)).toEqual([]);
  });
});
