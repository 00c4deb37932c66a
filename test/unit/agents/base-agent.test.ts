import { BaseAgent, type AgentContext } from '../../../src/agents/base-agent';
import type { AgentStateChanged } from '../../../src/bus/topics';
import { EventBus } from '../../../src/bus/event-bus';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import { MemoryLogger } from '../../helpers/memory-logger';
import { TestAgent } from '../../helpers/test-agent';

function setup(heartbeatIntervalMs = 0) {
  const clock = new SimulatedClock(0);
  const bus = new EventBus({ clock });
  const logger = new MemoryLogger();
  const context: AgentContext = { bus, clock, logger, heartbeatIntervalMs };
  const states: AgentStateChanged[] = [];
  bus.subscribe('test', 'agent.state', ({ payload }) => {
    states.push(payload);
  });
  return { clock, bus, logger, context, states };
}

describe('BaseAgent lifecycle', () => {
  it('goes created -> starting -> running -> stopping -> stopped and publishes each transition', async () => {
    const { context, states } = setup();
    const agent = new TestAgent('a', context);
    expect(agent.currentState).toBe('created');
    await agent.start();
    expect(agent.currentState).toBe('running');
    await agent.stop();
    expect(states.map((s) => `${s.from}->${s.to}`)).toEqual([
      'created->starting',
      'starting->running',
      'running->stopping',
      'stopping->stopped',
    ]);
  });

  it('refuses invalid transitions', async () => {
    const { context } = setup();
    const agent = new TestAgent('a', context);
    await expect(agent.stop()).rejects.toThrow('agent a cannot go from created to stopping');
    await agent.start();
    await expect(agent.start()).rejects.toThrow('agent a cannot go from running to starting');
  });

  it('faults when onStart fails, records the error and releases its subscriptions', async () => {
    const { context, bus, states } = setup();
    const agent = new TestAgent('a', context, {
      onStart: () => {
        throw new Error('exchange unreachable');
      },
    });
    await expect(agent.start()).rejects.toThrow('exchange unreachable');
    expect(agent.currentState).toBe('faulted');
    expect(agent.status().lastError).toBe('exchange unreachable');
    expect(states.at(-1)).toEqual({ agent: 'a', from: 'starting', to: 'faulted', error: 'exchange unreachable' });
    expect(bus.listenerCount('agent.heartbeat')).toBe(0);
  });

  it('can start again after it stopped', async () => {
    const { context } = setup();
    const agent = new TestAgent('a', context);
    await agent.start();
    await agent.stop();
    await agent.start();
    expect(agent.currentState).toBe('running');
  });

  it('delivers messages only while running and counts them', async () => {
    const { context, bus } = setup();
    let release: () => void = () => undefined;
    const agent = new TestAgent('a', context, { onStart: () => new Promise<void>((resolve) => (release = resolve)) });
    const starting = agent.start();
    bus.publish('x', 'agent.heartbeat', { agent: 'x' });
    expect(agent.received).toHaveLength(0);
    release();
    await starting;
    bus.publish('x', 'agent.heartbeat', { agent: 'x' });
    expect(agent.received).toHaveLength(1);
    expect(agent.status().messagesIn).toBe(1);
    await agent.stop();
    bus.publish('x', 'agent.heartbeat', { agent: 'x' });
    expect(agent.received).toHaveLength(1);
    expect(bus.listenerCount('agent.heartbeat')).toBe(0);
  });

  it('publishes only what it declared', async () => {
    const { context } = setup();
    const owner = new TestAgent('owner', context, { publishes: ['system.started'] });
    const other = new TestAgent('other', context);
    expect(() => owner.send('system.started')).not.toThrow();
    expect(() => other.send('system.started')).toThrow('agent other may not publish system.started: it declares no topics');
    expect(owner.status().messagesOut).toBeGreaterThan(0);
  });

  it('sends heartbeats on the clock while running, none after stop', async () => {
    const { context, bus, clock } = setup(1_000);
    const beats: number[] = [];
    bus.subscribe('test', 'agent.heartbeat', ({ ts }) => {
      beats.push(ts);
    });
    const agent = new TestAgent('a', context);
    await agent.start();
    clock.advance(3_500);
    await agent.stop();
    clock.advance(5_000);
    expect(beats).toEqual([1_000, 2_000, 3_000]);
  });

  it('logs each state change through a child logger named after the agent', async () => {
    const { context, logger } = setup();
    const agent = new TestAgent('data', context);
    await agent.start();
    expect(logger.lines).toContainEqual({ level: 'info', agent: 'data', message: 'starting -> running' });
  });

  it('keeps start() and stop() final', () => {
    const { context } = setup();
    class Sneaky extends BaseAgent {
      constructor() {
        super({ name: 'sneaky' }, context);
      }
      protected onStart(): void {}
      override async start(): Promise<void> {}
    }
    expect(() => new Sneaky()).toThrow('agent sneaky overrides start() or stop(); implement onStart()/onStop() instead');
  });
});
