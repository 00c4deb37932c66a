import { SimulatedClock } from '../../../../src/core/simulated-clock';
import { BINANCE_CLIENT_ID, createClientOrderIds } from '../../../../src/exchange/live/client-order-ids';
import { T0 } from './scripted-exchange';

describe('createClientOrderIds', () => {
  it('makes <prefix>-<session start in base 36>-<sequence in base 36>, valid for Binance', () => {
    const ids = createClientOrderIds('at', new SimulatedClock(T0));
    expect(ids.session).toBe(T0.toString(36));
    const made = Array.from({ length: 40 }, () => ids.next());
    expect(made[0]).toBe(`at-${T0.toString(36)}-1`);
    expect(made[35]).toBe(`at-${T0.toString(36)}-10`);
    for (const id of made) expect(id).toMatch(BINANCE_CLIENT_ID);
  });

  it('never repeats an id within a session or across two sessions started a millisecond apart', () => {
    const clock = new SimulatedClock(T0);
    const first = createClientOrderIds('at', clock);
    const firstIds = Array.from({ length: 5000 }, () => first.next());
    clock.advance(1);
    const second = createClientOrderIds('at', clock);
    const secondIds = Array.from({ length: 5000 }, () => second.next());
    expect(new Set([...firstIds, ...secondIds]).size).toBe(10_000);
  });

  it('is deterministic: the same start time gives the same ids', () => {
    const a = createClientOrderIds('at', new SimulatedClock(T0));
    const b = createClientOrderIds('at', new SimulatedClock(T0));
    expect([a.next(), a.next()]).toEqual([b.next(), b.next()]);
  });

  it('tells ours (any session) from this session and from other ids', () => {
    const clock = new SimulatedClock(T0);
    const earlier = createClientOrderIds('at', clock);
    const old = earlier.next();
    clock.advance(60_000);
    const ids = createClientOrderIds('at', clock);
    const mine = ids.next();
    expect(ids.isOurs(mine)).toBe(true);
    expect(ids.isThisSession(mine)).toBe(true);
    expect(ids.isOurs(old)).toBe(true);
    expect(ids.isThisSession(old)).toBe(false);
    for (const other of ['x-TKT5PX2F22ecb58eb9074fb1be018c', 'web_pCCGp9AIHjziKLlpGpXI', 'at2-lqw3-1', 'at-', undefined]) {
      expect(ids.isOurs(other)).toBe(false);
    }
  });

  it('keeps the longest ids within 36 characters and refuses bad prefixes', () => {
    const ids = createClientOrderIds('abcdefgh', new SimulatedClock(Date.UTC(2050, 0, 1)));
    expect(ids.next().length).toBeLessThanOrEqual(36);
    expect(() => createClientOrderIds('', new SimulatedClock(T0))).toThrow(/prefix/);
    expect(() => createClientOrderIds('a-b', new SimulatedClock(T0))).toThrow(/prefix/);
    expect(() => createClientOrderIds('toolongprefix', new SimulatedClock(T0))).toThrow(/prefix/);
  });
});
