import type { Envelope } from '../../../../src/bus/envelope';
import { EventBus } from '../../../../src/bus/event-bus';
import { BusBridge } from '../../../../src/bus/remote/bus-bridge';
import { MemoryHub } from '../../../../src/bus/remote/memory-transport';
import { signFrame } from '../../../../src/bus/wire/signed-frame';
import { WIRE_VERSION } from '../../../../src/bus/wire/wire-message';
import { SystemClock } from '../../../../src/core/clock';
import { MemoryLogger } from '../../../helpers/memory-logger';

const KEY = Buffer.from('a-memory-hub-key-of-32-characters-or-more');
const clock = new SystemClock();

async function joined(hub: MemoryHub): Promise<{ bus: EventBus; bridge: BusBridge }> {
  const bus = new EventBus({ clock });
  const bridge = new BusBridge({ bus, transport: hub.transport(), key: KEY, maxSkewMs: 60_000, clock, logger: new MemoryLogger() });
  await bridge.start();
  return { bus, bridge };
}

describe('BusBridge over the in-memory hub', () => {
  it('delivers what one bus publishes to the listeners of the others, and keeps lifecycle and config reloads local', async () => {
    const hub = new MemoryHub();
    const a = await joined(hub);
    const b = await joined(hub);
    const got: Envelope[] = [];
    b.bus.subscribe('t', 'order.filled', (m) => void got.push(m));
    b.bus.subscribe('t', 'system.started', (m) => void got.push(m));
    b.bus.subscribe('t', 'config.changed', (m) => void got.push(m));
    a.bus.publish('trade', 'order.filled', { qty: 2 } as never);
    a.bus.publish('orchestrator', 'system.started', { agents: [] });
    a.bus.publish('config', 'config.changed', { applied: [], restartNeeded: [] } as never);
    await hub.idle();
    expect(got.map((m) => m.topic)).toEqual(['order.filled']);
    expect(got[0]).toMatchObject({ origin: a.bus.origin, source: 'trade', payload: { qty: 2 } });
    await a.bridge.stop();
    await b.bridge.stop();
  });

  it('refuses a publish of a topic the sender does not own, though the signature is right', async () => {
    const hub = new MemoryHub();
    const b = await joined(hub);
    const got: Envelope[] = [];
    b.bus.subscribe('t', 'order.filled', (m) => void got.push(m));
    hub.inject(signFrame({ v: WIRE_VERSION, kind: 'event', origin: 'x', id: 1, topic: 'order.filled', source: 'analysis', ts: Date.now(), payload: {} }, KEY));
    await hub.idle();
    expect(got).toEqual([]);
    expect(b.bridge.stats()['refused.owner']).toBe(1);
    await b.bridge.stop();
  });

  it('fails the requests in flight when the process leaves the bus', async () => {
    const hub = new MemoryHub();
    const a = await joined(hub);
    const failed = expect(a.bus.request('api', 'trade.orders', {}, { timeoutMs: 10_000 })).rejects.toThrow('request trade.orders was cut short: this process is leaving the bus');
    await a.bridge.stop();
    await failed;
  });

  it('stamps what the trade agent sends with the leader\'s fencing token, and the others refuse an older one', async () => {
    const hub = new MemoryHub();
    const oldLeader = await joined(hub);
    const newLeader = await joined(hub);
    const books = await joined(hub);
    oldLeader.bridge.fence = 1;
    newLeader.bridge.fence = 2;
    const got: number[] = [];
    books.bus.subscribe('t', 'order.submitted', (m) => void got.push((m.payload as unknown as { n: number }).n));
    newLeader.bus.publish('trade', 'order.submitted', { n: 1 } as never);
    await hub.idle();
    oldLeader.bus.publish('trade', 'order.submitted', { n: 2 } as never);
    await hub.idle();
    expect(got).toEqual([1]);
    expect(books.bridge.stats()['refused.fence']).toBe(1);
    for (const n of [oldLeader, newLeader, books]) await n.bridge.stop();
  });
});
