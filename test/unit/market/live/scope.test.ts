import { Scope, STOPPED, TIMED_OUT } from '../../../../src/market/live/scope';
import { SteppingClock } from './stepping-clock';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

describe('Scope', () => {
  it('passes on what the promise gives, its error included', async () => {
    const scope = new Scope(new SteppingClock(0));
    await expect(scope.race(Promise.resolve(7))).resolves.toBe(7);
    await expect(scope.race(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });

  it('gives TIMED_OUT after the timeout on the clock, and cancels the timeout when the promise wins', async () => {
    const clock = new SteppingClock(0);
    const scope = new Scope(clock);
    const racing = scope.race(never(), 1000);
    await clock.run(999);
    expect(clock.pendingTimers()).toBe(1);
    await clock.run(1);
    await expect(racing).resolves.toBe(TIMED_OUT);
    await scope.race(Promise.resolve(1), 1000);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('stops every wait and timer at once, its children too, and swallows late rejections', async () => {
    const clock = new SteppingClock(0);
    const scope = new Scope(clock);
    const child = scope.child();
    let reject!: (err: Error) => void;
    const late = new Promise<never>((_, r) => (reject = r));
    const waits = [scope.race(never()), child.race(late), child.sleep(5000), scope.race(never(), 60_000)];
    child.setInterval(() => undefined, 100);
    scope.stop();
    await expect(Promise.all(waits)).resolves.toEqual([STOPPED, STOPPED, STOPPED, STOPPED]);
    expect(child.stopped).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
    reject(new Error('socket closed'));
    await expect(scope.sleep(10)).resolves.toBe(STOPPED);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a child stops alone without stopping its parent', async () => {
    const scope = new Scope(new SteppingClock(0));
    const child = scope.child();
    child.stop();
    expect(scope.stopped).toBe(false);
    await expect(scope.race(Promise.resolve('still on'))).resolves.toBe('still on');
  });
});
