import type { ClosedTrade } from '../../../../src/portfolio/types';
import { ProtectionSet, type ProtectionSettings } from '../../../../src/risk/protections/protection-set';

const MIN = 60_000;
const T0 = 1_704_067_200_000; // 2024-01-01T00:00Z
const SETTINGS: ProtectionSettings = { maxDrawdownPct: 10, dailyLossPct: 5, stoplossGuard: { count: 2, windowMin: 60, pauseMin: 30 }, cooldownAfterLossMin: 0 };

function stop(exitTime: number): ClosedTrade {
  return { symbol: 'BTC/USDT', entryTime: 0, exitTime, side: 'long', qty: 1, entryPrice: 100, exitPrice: 95, fees: 0, pnl: -5, pnlPct: -5, exitReason: 'stop-loss' };
}

describe('ProtectionSet', () => {
  it('answers a change only when the combined state changes, the strictest protection winning', () => {
    const set = new ProtectionSet(SETTINGS);
    expect(set.equity(10_000, T0)).toBeUndefined();
    expect(set.equity(9_600, T0 + MIN)).toBeUndefined(); // 4 % on the day, 4 % from the peak
    expect(set.equity(9_500, T0 + 2 * MIN)).toEqual({
      state: 'reducing',
      previous: 'active',
      protection: 'daily-loss',
      reason: 'equity 9,500.00 is 5.0 % below 10,000.00 at the start of the UTC day 2024-01-01 (limit 5 %); entries resume at 2024-01-02',
      time: T0 + 2 * MIN,
    });
    expect(set.equity(9_400, T0 + 3 * MIN)).toBeUndefined();
    expect(set.equity(9_000, T0 + 4 * MIN)).toMatchObject({ state: 'halted', previous: 'reducing', protection: 'max-drawdown' });
    // Two stop-losses ask for reducing; halted stays, so nothing is said.
    expect(set.closed(stop(T0 + 5 * MIN))).toBeUndefined();
    expect(set.closed(stop(T0 + 6 * MIN))).toBeUndefined();
    expect(set.stoplossGuard.state).toBe('reducing');
    // Back within 10 % of the peak: the day's loss and the guard still reduce.
    expect(set.equity(9_100, T0 + 7 * MIN)).toMatchObject({ state: 'reducing', previous: 'halted', protection: 'daily-loss' });
    expect(set.tick(T0 + 36 * MIN)).toBeUndefined(); // the guard's pause ended, the day's loss holds
    expect(set.stoplossGuard.state).toBe('active');
    expect(set.tick(T0 + 24 * 60 * MIN)).toMatchObject({ state: 'active', previous: 'reducing', protection: 'daily-loss' });
  });

  it('changes limits on a reload, and goes on from a snapshot', () => {
    const set = new ProtectionSet(SETTINGS);
    set.equity(10_000, T0);
    set.equity(9_200, T0 + MIN);
    expect(set.state).toBe('reducing');
    expect(set.configure({ ...SETTINGS, dailyLossPct: 0 }, T0 + 2 * MIN)).toMatchObject({ state: 'active', protection: 'daily-loss' });
    expect(set.configure({ ...SETTINGS, dailyLossPct: 0, maxDrawdownPct: 8 }, T0 + 3 * MIN)).toMatchObject({ state: 'halted', protection: 'max-drawdown' });

    const again = new ProtectionSet({ ...SETTINGS, dailyLossPct: 0, maxDrawdownPct: 8 });
    expect(again.restore(JSON.parse(JSON.stringify(set.snapshot())), T0 + 4 * MIN)).toMatchObject({ state: 'halted', previous: 'active', protection: 'max-drawdown' });
    expect(again.equity(9_300, T0 + 5 * MIN)).toMatchObject({ state: 'active', protection: 'max-drawdown' }); // 7 % below 10,000
  });

  it('halts by the kill switch over every other protection, and says so when it lets go', () => {
    const set = new ProtectionSet(SETTINGS);
    expect(set.setKillSwitch(true, 'halt.flag', T0)).toMatchObject({ state: 'halted', protection: 'kill-switch', reason: 'the kill switch is on (halt.flag exists)' });
    expect(set.setKillSwitch(true, 'halt.flag', T0 + MIN)).toBeUndefined();
    expect(set.setKillSwitch(false, 'halt.flag', T0 + 2 * MIN)).toMatchObject({ state: 'active', protection: 'kill-switch', reason: 'the kill switch is off (halt.flag is gone)' });
  });
});
