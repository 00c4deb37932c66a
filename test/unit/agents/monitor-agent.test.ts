import { ConfigAgent } from '../../../src/agents/config-agent';
import { MonitorAgent } from '../../../src/agents/monitor-agent';
import type { AgentContext } from '../../../src/agents/base-agent';
import { Orchestrator } from '../../../src/app/orchestrator';
import { EventBus } from '../../../src/bus/event-bus';
import { loadConfig } from '../../../src/config/load-config';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import { MemoryLogger } from '../../helpers/memory-logger';
import { DEFAULT_CONFIG_FILE, testApp } from '../../helpers/test-app';
import { TestAgent } from '../../helpers/test-agent';

/** Config + monitor + two test agents: one that heartbeats and one that never says anything. */
async function monitoredPair() {
  const clock = new SimulatedClock(0);
  const bus = new EventBus({ clock });
  const logger = new MemoryLogger();
  const loaded = loadConfig({ defaultFile: DEFAULT_CONFIG_FILE, env: { BOT_LOG_TO_FILE: 'false', BOT_MONITOR_SILENCE_THRESHOLD_MS: '3000', BOT_MONITOR_HEARTBEAT_INTERVAL_MS: '1000' } });
  const beating: AgentContext = { bus, clock, logger, heartbeatIntervalMs: 1_000 };
  const silent: AgentContext = { bus, clock, logger, heartbeatIntervalMs: 0 };
  let orchestrator: Orchestrator | undefined;
  const agents = [
    new ConfigAgent(beating, { loaded, reload: () => loaded }),
    new MonitorAgent(beating, { statuses: () => orchestrator?.statuses() ?? [], setLogLevel: () => undefined }),
    new TestAgent('chatty', beating),
    new TestAgent('quiet', silent),
  ];
  orchestrator = new Orchestrator(agents, { bus, logger, timeoutClock: clock });
  await orchestrator.startAll();
  return { clock, logger, orchestrator };
}

describe('MonitorAgent', () => {
  it('reports an agent that has been silent longer than the threshold, once', async () => {
    const { clock, logger } = await monitoredPair();
    clock.advance(10_000);
    const warnings = logger.messages('warn').filter((m) => m.includes('silent'));
    expect(warnings).toEqual(['agent quiet has been silent for 4000 ms (threshold 3000 ms)']);
  });

  it('does not report an agent that stopped', async () => {
    const { clock, logger, orchestrator } = await monitoredPair();
    await orchestrator.agents.find((a) => a.name === 'quiet')!.stop();
    clock.advance(10_000);
    expect(logger.messages('warn').filter((m) => m.includes('silent'))).toEqual([]);
  });

  it('logs failures other agents report', async () => {
    const app = testApp();
    await app.orchestrator.startAll();
    app.bus.subscribe('trade', 'agent.heartbeat', () => {
      throw new Error('sizing exploded');
    });
    app.bus.publish('data', 'agent.heartbeat', { agent: 'data' });
    expect(app.logger.lines).toContainEqual({ level: 'error', agent: 'monitor', message: 'agent trade failed handling agent.heartbeat: sizing exploded' });
  });

  it('logs a status table of all agents once all run and again at shutdown', async () => {
    const app = testApp();
    await app.orchestrator.startAll();
    await app.orchestrator.stopAll('test');
    const tables = app.logger.messages('info').filter((m) => m.startsWith('agent status'));
    expect(tables).toHaveLength(2);
    expect(tables[0]).toMatch(/^agent status \(all agents running\):\nagent +state/);
    expect(tables[0]).toMatch(/^analysis +running/m);
    expect(tables[1]).toMatch(/^agent status \(shutdown\):/);
    expect(tables[1]).toMatch(/^analysis +stopped/m);
    expect(tables[1]).toMatch(/^config +running/m);
  });
});
