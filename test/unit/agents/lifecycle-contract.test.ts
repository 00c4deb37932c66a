/**
 * One contract, run against every agent of the app: it starts, it stops, it leaves nothing attached to the
 * bus, and nothing reaches it after it stopped.
 */
import type { BaseAgent } from '../../../src/agents/base-agent';
import { busAttachments, testApp, type TestApp } from '../../helpers/test-app';

const AGENTS = ['config', 'monitor', 'data', 'portfolio', 'trade', 'analysis'];

/** Starts what `name` depends on, transitively, in the orchestrator's order. */
async function startDependencies(app: TestApp, name: string): Promise<BaseAgent[]> {
  // The supervisor's subscriptions are the run's, not an agent's: this contract is about the agents alone.
  app.supervisor?.detach();
  const needed = new Set<string>();
  const visit = (agent: BaseAgent): void => {
    for (const dep of agent.dependsOn) {
      if (!needed.has(dep)) {
        needed.add(dep);
        visit(app.agent(dep));
      }
    }
  };
  visit(app.agent(name));
  const started = app.orchestrator.agents.filter((a) => needed.has(a.name));
  for (const agent of started) await agent.start();
  return started;
}

/** One message on every broadcast topic, so whatever the agent listens to is offered to it. */
function publishOnEveryTopic(app: TestApp): void {
  app.bus.publish('test', 'agent.heartbeat', { agent: 'test' });
  app.bus.publish('test', 'agent.state', { agent: 'test', from: 'created', to: 'starting' });
  app.bus.publish('test', 'agent.error', { agent: 'test', topic: 'x', error: 'y' });
  app.bus.publish('test', 'system.started', { agents: [] });
  app.bus.publish('test', 'system.stopping', { reason: 'test' });
  app.bus.publish('test', 'config.changed', { applied: [], needRestart: [] });
  app.bus.publish('test', 'portfolio.marked', { time: 0, equity: 1, positionsValue: 0 });
}

describe.each(AGENTS)('the %s agent', (name) => {
  it('is part of the app', () => {
    expect(testApp().orchestrator.agents.map((a) => a.name)).toContain(name);
  });

  it('starts, stops, and leaves no listener, handler or tap on the bus', async () => {
    const app = testApp();
    const dependencies = await startDependencies(app, name);
    const before = busAttachments(app.bus);
    const agent = app.agent(name);
    await agent.start();
    expect(agent.currentState).toBe('running');
    const running = busAttachments(app.bus);
    expect(running.listeners + running.handlers + running.taps).toBeGreaterThan(before.listeners + before.handlers + before.taps);
    await agent.stop();
    expect(agent.currentState).toBe('stopped');
    expect(busAttachments(app.bus)).toEqual(before);
    for (const dep of dependencies.reverse()) await dep.stop();
    expect(busAttachments(app.bus)).toEqual({ listeners: 0, handlers: 0, taps: 0 });
  });

  it('receives nothing after it stopped', async () => {
    const app = testApp();
    await startDependencies(app, name);
    const agent = app.agent(name);
    await agent.start();
    await agent.stop();
    const received = agent.status().messagesIn;
    publishOnEveryTopic(app);
    app.clock.advance(60_000);
    expect(agent.status().messagesIn).toBe(received);
  });

  it('can be started again after it stopped', async () => {
    const app = testApp();
    await startDependencies(app, name);
    const agent = app.agent(name);
    await agent.start();
    await agent.stop();
    await agent.start();
    expect(agent.currentState).toBe('running');
  });
});
