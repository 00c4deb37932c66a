import { DDoSProtection, NetworkError } from 'ccxt';
import { SimulatedClock } from '../../../../src/core/simulated-clock';
import { RequestGate } from '../../../../src/exchange/live/request-gate';
import { flush, runFor, T0 } from './scripted-exchange';

function gateWith(header: string | undefined, clock: SimulatedClock): RequestGate {
  return new RequestGate(clock, { retryAfterHeader: () => header, fallbackMs: 7000 });
}

describe('RequestGate', () => {
  it('sends nothing, of any kind, before the Retry-After of a 429 has passed', async () => {
    const clock = new SimulatedClock(T0);
    const gate = gateWith('5', clock);
    await expect(gate.run(() => Promise.reject(new DDoSProtection('binance 429')))).rejects.toThrow('429');
    expect(gate.waitMs()).toBe(5000);

    const sentAt: number[] = [];
    const requests = [gate.run(async () => sentAt.push(clock.now())), gate.run(async () => sentAt.push(clock.now()))];
    await runFor(clock, 4999, 100);
    expect(sentAt).toEqual([]);
    await runFor(clock, 1);
    await Promise.all(requests);
    expect(sentAt).toEqual([T0 + 5000, T0 + 5000]);
  });

  it('reads an HTTP-date Retry-After, and falls back when there is none', async () => {
    const clock = new SimulatedClock(T0);
    const dated = gateWith(new Date(T0 + 12_000).toUTCString(), clock);
    await dated.run(() => Promise.reject(new DDoSProtection('418'))).catch(() => undefined);
    expect(dated.waitMs()).toBe(12_000);
    const bare = gateWith(undefined, clock);
    await bare.run(() => Promise.reject(new DDoSProtection('429'))).catch(() => undefined);
    expect(bare.waitMs()).toBe(7000);
  });

  it('stays open after other failures, and a shorter hold never shortens a longer one', async () => {
    const clock = new SimulatedClock(T0);
    const gate = gateWith('60', clock);
    await gate.run(() => Promise.reject(new NetworkError('down'))).catch(() => undefined);
    expect(gate.waitMs()).toBe(0);
    gate.holdUntil(T0 + 60_000);
    gate.holdUntil(T0 + 1000);
    expect(gate.waitMs()).toBe(60_000);
  });

  it('makes a waiting request wait longer when another request extends the hold meanwhile', async () => {
    const clock = new SimulatedClock(T0);
    const gate = gateWith('10', clock);
    gate.holdUntil(T0 + 1000);
    let sent = -1;
    const waiting = gate.run(async () => (sent = clock.now()));
    await flush();
    gate.holdUntil(T0 + 3000);
    await runFor(clock, 3000);
    await waiting;
    expect(sent).toBe(T0 + 3000);
  });
});
