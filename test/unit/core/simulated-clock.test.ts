import { SimulatedClock } from '../../../src/core/simulated-clock';

describe('SimulatedClock', () => {
  it('stands still until advanced', () => {
    const clock = new SimulatedClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
  });

  it('fires timers in time order at their virtual time, ties in the order they were set', () => {
    const clock = new SimulatedClock(0);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['c', clock.now()]), 300);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['b1', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['b2', clock.now()]), 200);
    clock.advance(250);
    expect(fired).toEqual([
      ['a', 100],
      ['b1', 200],
      ['b2', 200],
    ]);
    expect(clock.now()).toBe(250);
    clock.advanceTo(1_000);
    expect(fired.map(([name]) => name)).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('repeats intervals and stops them when canceled', () => {
    const clock = new SimulatedClock(0);
    const at: number[] = [];
    const timer = clock.setInterval(() => at.push(clock.now()), 100);
    clock.advance(350);
    timer.cancel();
    clock.advance(1_000);
    expect(at).toEqual([100, 200, 300]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fires a timer set by another timer when it falls inside the same advance', () => {
    const clock = new SimulatedClock(0);
    const at: number[] = [];
    clock.setTimeout(() => {
      at.push(clock.now());
      clock.setTimeout(() => at.push(clock.now()), 50);
    }, 100);
    clock.advance(200);
    expect(at).toEqual([100, 150]);
  });

  it('does not fire a canceled timeout', () => {
    const clock = new SimulatedClock(0);
    const fn = jest.fn();
    clock.setTimeout(fn, 10).cancel();
    clock.advance(100);
    expect(fn).not.toHaveBeenCalled();
  });

  it('refuses to go back in time', () => {
    const clock = new SimulatedClock(500);
    expect(() => clock.set(400)).toThrow('cannot go back in time from 500 to 400');
    expect(() => clock.advance(-1)).toThrow('cannot advance by -1 ms');
  });
});
