import { StoplossGuard } from '../../../../src/risk/protections/stoploss-guard';

const MIN = 60_000;
/** 2024-01-01T00:00Z */
const T0 = 1_704_067_200_000;

describe('StoplossGuard', () => {
  it('pauses entries after 3 stop-losses within 60 min, for 30 min from the last', () => {
    const guard = new StoplossGuard({ count: 3, windowMin: 60, pauseMin: 30 });
    guard.closed('stop-loss', T0);
    guard.closed('take-profit', T0 + 10 * MIN);
    guard.closed('stop-loss', T0 + 20 * MIN);
    expect(guard.state).toBe('active');
    guard.closed('stop-loss', T0 + 60 * MIN);
    expect(guard.state).toBe('reducing');
    expect(guard.reason).toBe('3 stop-losses within 60 min, the last at 2024-01-01T01:00Z (limit 3); entries resume at 2024-01-01T01:30Z');
    guard.tick(T0 + 89 * MIN);
    expect(guard.state).toBe('reducing');
    guard.tick(T0 + 90 * MIN);
    expect(guard.state).toBe('active');
    expect(guard.reason).toBe('the 30 min pause after 3 stop-losses ended at 2024-01-01T01:30Z');
  });

  it('forgets stop-losses older than the window, and those a pause spent', () => {
    const guard = new StoplossGuard({ count: 2, windowMin: 60, pauseMin: 10 });
    guard.closed('stop-loss', T0);
    guard.closed('stop-loss', T0 + 61 * MIN);
    expect(guard.state).toBe('active');
    guard.closed('stop-loss', T0 + 62 * MIN);
    expect(guard.state).toBe('reducing');
    guard.tick(T0 + 72 * MIN);
    guard.closed('stop-loss', T0 + 73 * MIN);
    expect(guard.state).toBe('active');
  });

  it('is off at count 0, lets go when a reload turns it off, and survives a snapshot', () => {
    const off = new StoplossGuard({ count: 0, windowMin: 60, pauseMin: 10 });
    for (let i = 0; i < 5; i++) off.closed('stop-loss', T0 + i * MIN);
    expect(off.state).toBe('active');
    const guard = new StoplossGuard({ count: 1, windowMin: 60, pauseMin: 10 });
    guard.closed('stop-loss', T0);
    const again = new StoplossGuard({ count: 1, windowMin: 60, pauseMin: 10 });
    again.restore(JSON.parse(JSON.stringify(guard.snapshot())));
    expect(again.state).toBe('reducing');
    expect(again.wakeAt).toBe(T0 + 10 * MIN);
    again.configure({ count: 0, windowMin: 60, pauseMin: 10 });
    expect(again.state).toBe('active');
  });
});
