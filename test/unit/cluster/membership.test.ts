import { Membership, type Presence } from '../../../src/cluster/membership';
import { SimulatedClock } from '../../../src/core/simulated-clock';

const FAILOVER_MS = 4000;
const SELF = 'self-origin';

function presence(node: string, origin: string, agents: Record<string, string> = {}, time = 0): Presence {
  return { node, origin, agents: Object.entries(agents).map(([name, state]) => ({ name, state })), time };
}

function rig() {
  const clock = new SimulatedClock(1_000_000);
  const membership = new Membership({ clock, failoverMs: FAILOVER_MS, self: SELF });
  let changes = 0;
  membership.onChange(() => changes++);
  return { clock, membership, changes: () => changes };
}

const nodes = (list: Presence[]): string[] => list.map((p) => p.node);

describe('Membership', () => {
  it('lists the processes it heard by node name, itself included once its own announcement came back', () => {
    const { membership } = rig();
    membership.heard(presence('trade', 'o-trade'));
    membership.heard(presence('analysis-2', 'o-a2'));
    membership.heard(presence('analysis-1', 'o-a1'));
    expect(nodes(membership.alive())).toEqual(['analysis-1', 'analysis-2', 'trade']);
    membership.heard(presence('main', SELF));
    expect(nodes(membership.alive())).toEqual(['analysis-1', 'analysis-2', 'main', 'trade']);
  });

  it('keeps a process alive through failoverMs of silence and drops it just after', () => {
    const { clock, membership } = rig();
    membership.heard(presence('analysis-1', 'o-a1'));
    clock.advance(FAILOVER_MS);
    expect(nodes(membership.alive())).toEqual(['analysis-1']);
    clock.advance(1);
    expect(membership.alive()).toEqual([]);
  });

  it('stays alive while it keeps announcing', () => {
    const { clock, membership } = rig();
    for (let i = 0; i < 10; i++) {
      membership.heard(presence('analysis-1', 'o-a1', {}, i));
      clock.advance(FAILOVER_MS - 1);
    }
    expect(nodes(membership.alive())).toEqual(['analysis-1']);
  });

  it('tells its listeners when a process goes silent, within a quarter of failoverMs', () => {
    const { clock, membership, changes } = rig();
    membership.start();
    membership.heard(presence('analysis-1', 'o-a1'));
    membership.heard(presence('analysis-2', 'o-a2'));
    expect(changes()).toBe(2);
    clock.advance(FAILOVER_MS / 2);
    membership.heard(presence('analysis-2', 'o-a2', {}, 1));
    clock.advance(FAILOVER_MS / 2);
    expect(changes()).toBe(2);
    clock.advance(FAILOVER_MS / 4);
    expect(changes()).toBe(3);
    expect(nodes(membership.alive())).toEqual(['analysis-2']);
  });

  it('notices no silence after stop', () => {
    const { clock, membership, changes } = rig();
    membership.start();
    membership.heard(presence('analysis-1', 'o-a1'));
    membership.stop();
    clock.advance(FAILOVER_MS * 3);
    expect(changes()).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('stays quiet for a refresh that changes no one and no running agent', () => {
    const { membership, changes } = rig();
    membership.heard(presence('trade', 'o-trade', { trader: 'running', risk: 'paused' }, 1));
    membership.heard(presence('trade', 'o-trade', { trader: 'running', risk: 'paused' }, 2));
    membership.heard(presence('trade', 'o-trade', { trader: 'running', risk: 'stopped' }, 3));
    expect(changes()).toBe(1);
  });

  it('tells its listeners when an agent starts or stops running', () => {
    const { membership, changes } = rig();
    membership.heard(presence('trade', 'o-trade', { trader: 'starting' }, 1));
    membership.heard(presence('trade', 'o-trade', { trader: 'running' }, 2));
    expect(changes()).toBe(2);
    membership.heard(presence('trade', 'o-trade', { trader: 'paused' }, 3));
    expect(changes()).toBe(3);
  });

  it('lists the alive processes running an agent, by node name', () => {
    const { clock, membership } = rig();
    membership.heard(presence('trade-b', 'o-b', { trader: 'running' }));
    membership.heard(presence('trade-c', 'o-c', { trader: 'paused' }));
    membership.heard(presence('analysis', 'o-an', { analyst: 'running' }));
    clock.advance(FAILOVER_MS);
    membership.heard(presence('trade-a', 'o-a', { trader: 'running' }));
    expect(nodes(membership.runningAgent('trader'))).toEqual(['trade-a', 'trade-b']);
    clock.advance(1);
    expect(nodes(membership.runningAgent('trader'))).toEqual(['trade-a']);
    expect(membership.runningAgent('nobody')).toEqual([]);
  });

  it('drops a process at once on its goodbye and ignores its announcements still in flight', () => {
    const { membership, changes } = rig();
    membership.heard(presence('trade', 'o-trade', {}, 1));
    membership.left('o-trade');
    expect(membership.alive()).toEqual([]);
    expect(changes()).toBe(2);
    membership.heard(presence('trade', 'o-trade', {}, 2));
    expect(membership.alive()).toEqual([]);
    expect(changes()).toBe(2);
  });

  it('forgets a goodbye after failoverMs so the record does not grow with every restart', () => {
    const { clock, membership } = rig();
    membership.start();
    membership.left('o-trade');
    clock.advance(FAILOVER_MS + FAILOVER_MS / 4);
    membership.heard(presence('trade', 'o-trade'));
    expect(nodes(membership.alive())).toEqual(['trade']);
  });

  it('replaces a restarted process’s old origin with its new one', () => {
    const { membership, changes } = rig();
    membership.heard(presence('trade', 'o-old', { trader: 'running' }, 100));
    membership.heard(presence('trade', 'o-new', { trader: 'starting' }, 200));
    expect(membership.alive().map((p) => p.origin)).toEqual(['o-new']);
    expect(changes()).toBe(2);
    // The old run's last announcement, delivered late, does not bring it back.
    membership.heard(presence('trade', 'o-old', { trader: 'running' }, 150));
    expect(membership.alive().map((p) => p.origin)).toEqual(['o-new']);
    expect(membership.runningAgent('trader')).toEqual([]);
  });

  it('lets a new origin replace a silent one whatever the senders’ clocks say', () => {
    const { clock, membership } = rig();
    membership.heard(presence('trade', 'o-old', {}, 500));
    clock.advance(FAILOVER_MS + 1);
    membership.heard(presence('trade', 'o-new', {}, 100));
    expect(membership.alive().map((p) => p.origin)).toEqual(['o-new']);
  });

  it('keeps the newer agent states when an older announcement of the same process arrives late', () => {
    const { clock, membership } = rig();
    membership.heard(presence('trade', 'o-trade', { trader: 'running' }, 200));
    clock.advance(FAILOVER_MS - 1);
    membership.heard(presence('trade', 'o-trade', { trader: 'starting' }, 100));
    clock.advance(FAILOVER_MS - 1);
    // Still alive: the late one proved the process there, without undoing its newer state.
    expect(nodes(membership.runningAgent('trader'))).toEqual(['trade']);
  });

  it('is never displaced in its own view by another origin claiming its node name', () => {
    const { membership } = rig();
    membership.heard(presence('main', SELF, {}, 100));
    membership.heard(presence('main', 'o-impostor', {}, 200));
    expect(membership.alive().map((p) => p.origin)).toEqual([SELF]);
  });

  it('displaces an earlier origin of its own node name when its own announcement comes back', () => {
    const { membership } = rig();
    membership.heard(presence('main', 'o-previous-run', {}, 300));
    membership.heard(presence('main', SELF, {}, 200));
    expect(membership.alive().map((p) => p.origin)).toEqual([SELF]);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const { membership } = rig();
    let calls = 0;
    const unsubscribe = membership.onChange(() => calls++);
    membership.heard(presence('trade', 'o-trade'));
    unsubscribe();
    membership.left('o-trade');
    expect(calls).toBe(1);
  });

  it('refuses a failoverMs that is not positive', () => {
    expect(() => new Membership({ clock: new SimulatedClock(), failoverMs: 0, self: SELF })).toThrow(
      'Membership needs a positive failoverMs, got 0.',
    );
  });

  it('takes nobody for dead while this process is cut off from the bus, and does not count that time after', () => {
    const { clock, membership } = rig();
    membership.start();
    membership.heard(presence('analysis-1', 'o-a1', { analysis: 'running' }));
    clock.advance(1000);
    membership.lostContact();
    clock.advance(FAILOVER_MS * 3);
    expect(nodes(membership.alive())).toEqual(['analysis-1']);
    membership.regainedContact();
    // 1000 ms of silence before the cut, as many after it: still within failoverMs.
    clock.advance(FAILOVER_MS - 1500);
    expect(nodes(membership.runningAgent('analysis'))).toEqual(['analysis-1']);
    clock.advance(1000);
    expect(nodes(membership.alive())).toEqual([]);
    membership.stop();
  });
});
