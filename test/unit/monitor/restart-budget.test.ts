import { RestartBudget } from '../../../src/monitor/restart-budget';

describe('RestartBudget', () => {
  const settings = { max: 3, windowS: 60, backoffMs: 1000, maxBackoffMs: 3000 };

  it('restarts with a doubling backoff, capped, up to max within the window', () => {
    const budget = new RestartBudget(() => settings);
    expect(budget.fault('trade', 0)).toEqual({ restart: true, attempt: 1, delayMs: 1000 });
    expect(budget.fault('trade', 1_000)).toEqual({ restart: true, attempt: 2, delayMs: 2000 });
    expect(budget.fault('trade', 2_000)).toEqual({ restart: true, attempt: 3, delayMs: 3000 });
    expect(budget.fault('trade', 3_000)).toEqual({ restart: false, restarts: 3 });
    // Another agent has a budget of its own.
    expect(budget.fault('data', 3_000)).toEqual({ restart: true, attempt: 1, delayMs: 1000 });
  });

  it('forgets restarts older than the window', () => {
    const budget = new RestartBudget(() => settings);
    for (const t of [0, 10_000, 20_000]) budget.fault('trade', t);
    expect(budget.count('trade', 59_999)).toBe(3);
    expect(budget.count('trade', 60_000)).toBe(2);
    expect(budget.fault('trade', 60_000)).toEqual({ restart: true, attempt: 3, delayMs: 3000 });
  });

  it('never restarts with max 0', () => {
    const budget = new RestartBudget(() => ({ ...settings, max: 0 }));
    expect(budget.fault('trade', 0)).toEqual({ restart: false, restarts: 0 });
  });
});
