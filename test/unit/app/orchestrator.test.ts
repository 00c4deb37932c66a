import type { AgentContext } from '../../../src/agents/base-agent';
import { Orchestrator } from '../../../src/app/orchestrator';
import { EventBus } from '../../../src/bus/event-bus';
import { SystemClock } from '../../../src/core/clock';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import { MemoryLogger } from '../../helpers/memory-logger';
import { TestAgent, type TestAgentBehaviour } from '../../helpers/test-agent';

function setup(timeoutMs = 10_000) {
  const clock = new SimulatedClock(0);
  const bus = new EventBus({ clock });
  const logger = new MemoryLogger();
  const context: AgentContext = { bus, clock, logger };
  const events: string[] = [];
  const agent = (name: string, behaviour: TestAgentBehaviour = {}) =>
    new TestAgent(name, context, {
      ...behaviour,
      onStart: async () => {
        events.push(`start ${name}`);
        await behaviour.onStart?.();
      },
      onStop: async () => {
        events.push(`stop ${name}`);
        await behaviour.onStop?.();
      },
    });
  const orchestrate = (agents: TestAgent[]) =>
    new Orchestrator(agents, { bus, logger, timeoutClock: new SystemClock(), startTimeoutMs: timeoutMs, stopTimeoutMs: timeoutMs });
  return { bus, logger, events, agent, orchestrate };
}

describe('Orchestrator', () => {
  it('starts agents in dependency order and stops them in reverse', async () => {
    const { agent, orchestrate, events } = setup();
    const orchestrator = orchestrate([
      agent('trade', { dependsOn: ['portfolio', 'config'] }),
      agent('portfolio', { dependsOn: ['config'] }),
      agent('config'),
    ]);
    await orchestrator.startAll();
    expect(orchestrator.statuses().map((s) => s.state)).toEqual(['running', 'running', 'running']);
    await orchestrator.stopAll('test over');
    expect(events).toEqual(['start config', 'start portfolio', 'start trade', 'stop trade', 'stop portfolio', 'stop config']);
  });

  it('announces system.started once all run and system.stopping before stopping', async () => {
    const { agent, orchestrate, bus } = setup();
    const topics: string[] = [];
    bus.tap((m) => {
      if (m.topic.startsWith('system.')) topics.push(m.topic);
    });
    const orchestrator = orchestrate([agent('config')]);
    await orchestrator.startAll();
    await orchestrator.stopAll('bye');
    expect(topics).toEqual(['system.started', 'system.stopping']);
  });

  it('rolls back the started agents in reverse when one fails to start', async () => {
    const { agent, orchestrate, events } = setup();
    const broken = agent('trade', {
      dependsOn: ['portfolio'],
      onStart: () => {
        throw new Error('no broker');
      },
    });
    const orchestrator = orchestrate([agent('config'), agent('portfolio', { dependsOn: ['config'] }), broken, agent('analysis', { dependsOn: ['trade'] })]);
    await expect(orchestrator.startAll()).rejects.toThrow('agent trade failed to start: no broker');
    expect(events).toEqual(['start config', 'start portfolio', 'start trade', 'stop trade', 'stop portfolio', 'stop config']);
    expect(orchestrator.statuses().map((s) => [s.name, s.state])).toEqual([
      ['config', 'stopped'],
      ['portfolio', 'stopped'],
      ['trade', 'stopped'],
      ['analysis', 'created'],
    ]);
  });

  it('gives up on an agent that does not start in time and rolls back', async () => {
    const { agent, orchestrate, events } = setup(50);
    const stuck = agent('data', { dependsOn: ['config'], onStart: () => new Promise<void>(() => undefined) });
    const orchestrator = orchestrate([agent('config'), stuck]);
    await expect(orchestrator.startAll()).rejects.toThrow('agent data failed to start: start of agent data timed out after 50 ms');
    expect(stuck.status().lastError).toBe('start of agent data timed out after 50 ms');
    expect(events).toEqual(['start config', 'start data', 'stop data', 'stop config']);
  });

  it('restarts one agent without touching the others', async () => {
    const { agent, orchestrate, events } = setup();
    const orchestrator = orchestrate([agent('config'), agent('data', { dependsOn: ['config'] }), agent('trade', { dependsOn: ['config'] })]);
    await orchestrator.startAll();
    events.length = 0;
    await orchestrator.restart('data');
    expect(events).toEqual(['stop data', 'start data']);
    expect(orchestrator.statuses().every((s) => s.state === 'running')).toBe(true);
    await expect(orchestrator.restart('nope')).rejects.toThrow('no agent is named nope (agents: config, data, trade)');
  });

  it('goes on stopping the rest when one agent fails to stop, and says so', async () => {
    const { agent, orchestrate, events, logger } = setup();
    const orchestrator = orchestrate([
      agent('config'),
      agent('data', {
        dependsOn: ['config'],
        onStop: () => {
          throw new Error('socket stuck');
        },
      }),
      agent('trade', { dependsOn: ['data'] }),
    ]);
    await orchestrator.startAll();
    await expect(orchestrator.stopAll('bye')).resolves.toBe(false);
    expect(events.slice(3)).toEqual(['stop trade', 'stop data', 'stop config']);
    expect(logger.messages('error')).toContain('agent data did not stop cleanly: socket stuck');
  });

  it('refuses a cycle before starting anything', () => {
    const { agent, orchestrate } = setup();
    expect(() => orchestrate([agent('a', { dependsOn: ['b'] }), agent('b', { dependsOn: ['a'] })])).toThrow(
      'dependency cycle between agents: a -> b -> a',
    );
  });
});
