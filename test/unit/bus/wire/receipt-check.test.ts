import { canonicalJson } from '../../../../src/bus/wire/canonical-json';
import { ReceiptCheck } from '../../../../src/bus/wire/receipt-check';
import { busKey, signFrame } from '../../../../src/bus/wire/signed-frame';
import { WIRE_VERSION, type WireMessage } from '../../../../src/bus/wire/wire-message';

const KEY = Buffer.from('k'.repeat(40));
let now = 1_000_000;
const checker = (): ReceiptCheck => new ReceiptCheck({ key: KEY, maxSkewMs: 60_000, now: () => now });

function message(over: Partial<WireMessage> = {}): WireMessage {
  return { v: WIRE_VERSION, kind: 'event', origin: 'p1', id: 1, topic: 'order.filled', source: 'trade', ts: now, payload: { qty: 1 }, ...over };
}

describe('canonicalJson', () => {
  it('writes the same bytes whatever order the keys were made in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } }));
  });

  it('leaves out undefined members and parses back to the value', () => {
    const value = { a: undefined, b: [undefined, 2], c: 0.1 + 0.2, d: 'é"\n' };
    expect(JSON.parse(canonicalJson(value))).toEqual({ b: [null, 2], c: 0.1 + 0.2, d: 'é"\n' });
  });

  it('refuses a number JSON cannot carry', () => {
    expect(() => canonicalJson({ price: Number.NaN })).toThrow('the number NaN');
  });
});

describe('ReceiptCheck', () => {
  it('accepts a message signed with the key, once', () => {
    const check = checker();
    const frame = signFrame(message(), KEY);
    expect(check.check(frame)).toMatchObject({ ok: true, message: { topic: 'order.filled', payload: { qty: 1 } } });
    expect(check.check(frame)).toMatchObject({ ok: false, reason: 'replayed' });
    expect(check.accepted).toBe(1);
    expect(check.refused.replayed).toBe(1);
  });

  it('refuses a forged signature and a message signed with another key', () => {
    const check = checker();
    const frame = signFrame(message(), KEY);
    const forged = frame.replace('"qty":1', '"qty":9');
    expect(check.check(forged)).toMatchObject({ ok: false, reason: 'signature' });
    expect(check.check(signFrame(message({ id: 2 }), Buffer.from('w'.repeat(40))))).toMatchObject({ ok: false, reason: 'signature' });
    expect(check.check('')).toMatchObject({ ok: false, reason: 'signature' });
    expect(check.refused.signature).toBe(3);
  });

  it('refuses a topic its sender does not own, and a reply from an agent that does not handle it', () => {
    const check = checker();
    expect(check.check(signFrame(message({ source: 'analysis' }), KEY))).toMatchObject({ ok: false, reason: 'owner' });
    expect(check.check(signFrame(message({ id: 2, kind: 'reply', topic: 'portfolio.snapshot', source: 'trade', to: 'p2', correlationId: 4 }), KEY))).toMatchObject({ ok: false, reason: 'owner' });
    expect(check.check(signFrame(message({ id: 3, kind: 'control', source: 'trade' }), KEY))).toMatchObject({ ok: false, reason: 'owner' });
    expect(check.check(signFrame(message({ id: 4, source: 'trade', topic: 'agent.state' }), KEY)).ok).toBe(true);
    expect(check.refused.owner).toBe(3);
  });

  it('refuses a message older (or newer) than bus.maxSkewMs', () => {
    const check = checker();
    expect(check.check(signFrame(message({ ts: now - 10 * 60_000 }), KEY))).toMatchObject({ ok: false, reason: 'stale', detail: expect.stringContaining('600000 ms') });
    expect(check.check(signFrame(message({ id: 2, ts: now + 61_000 }), KEY))).toMatchObject({ ok: false, reason: 'stale' });
    expect(check.check(signFrame(message({ id: 3, ts: now - 59_000 }), KEY)).ok).toBe(true);
  });

  it('drops a message of another version or of the wrong shape, counted by reason', () => {
    const check = checker();
    expect(check.check(signFrame({ ...message(), v: 2 } as unknown as WireMessage, KEY))).toMatchObject({ ok: false, reason: 'version' });
    expect(check.check(signFrame({ ...message(), id: 'x' } as unknown as WireMessage, KEY))).toMatchObject({ ok: false, reason: 'shape', detail: 'its id is not a number' });
    expect(check.check(signFrame({ ...message(), kind: 'shout' } as unknown as WireMessage, KEY))).toMatchObject({ ok: false, reason: 'shape' });
    expect(check.check(signFrame(message({ kind: 'reply', topic: 'trade.orders' }), KEY))).toMatchObject({ ok: false, reason: 'shape' });
    expect(check.totalRefused()).toBe(4);
  });

  it('refuses what a deposed trade leader sends once a newer fencing token was seen', () => {
    const check = checker();
    expect(check.check(signFrame(message({ id: 1, fence: 3 }), KEY)).ok).toBe(true);
    expect(check.check(signFrame(message({ id: 2, fence: 2 }), KEY))).toMatchObject({ ok: false, reason: 'fence' });
    expect(check.check(signFrame(message({ id: 3, fence: 4 }), KEY)).ok).toBe(true);
    expect(check.check(signFrame(message({ id: 4, fence: 3 }), KEY))).toMatchObject({ ok: false, reason: 'fence' });
  });

  it('forgets ids once they are past the skew window, so memory stays bounded', () => {
    const check = checker();
    for (let i = 0; i < 1000; i++) {
      now += 1000;
      expect(check.check(signFrame(message({ id: i, ts: now }), KEY)).ok).toBe(true);
    }
    expect((check as unknown as { seen: Map<string, number> }).seen.size).toBeLessThanOrEqual(121);
  });
});

describe('busKey', () => {
  it('asks for BOT_BUS_KEY, and for a long one, without printing it', () => {
    expect(busKey({})).toContain('BOT_BUS_KEY is not set');
    expect(busKey({ BOT_BUS_KEY: 'short-secret' })).toBe('BOT_BUS_KEY must be at least 32 characters (it has 12); generate one with: openssl rand -hex 32');
    expect(busKey({ BOT_BUS_KEY: 'x'.repeat(32) })).toEqual(Buffer.from('x'.repeat(32)));
  });
});
