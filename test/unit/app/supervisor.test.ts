import { BaseAgent, type AgentContext } from '../../../src/agents/base-agent';
import { Orchestrator } from '../../../src/app/orchestrator';
import { Supervisor } from '../../../src/app/supervisor';
import { EventBus } from '../../../src/bus/event-bus';
import { SystemClock } from '../../../src/core/clock';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import { MemoryLogger } from '../../helpers/memory-logger';

/** Records each tick it is given in a shared log, and throws on ticks while `failing`. */
class TickAgent extends BaseAgent {
  failing = false;
  failStarts = 0;
  starts = 0;
  constructor(name: string, dependsOn: string[], context: AgentContext, private readonly record: string[]) {
    super({ name, dependsOn }, context);
  }
  protected onStart(): void {
    this.starts += 1;
    if (this.failStarts > 0) {
      this.failStarts -= 1;
      throw new Error(`${this.name} cannot start`);
    }
    this.subscribe('market.tick', ({ payload }) => {
      if (this.failing) throw new Error(`${this.name} broke on ${payload.symbol}`);
      this.record.push(`${this.name}:${payload.price}`);
    });
  }
}

function setup(max = 2) {
  const clock = new SimulatedClock(0);
  const bus = new EventBus({ clock });
  const logger = new MemoryLogger();
  const context: AgentContext = { bus, clock, logger };
  const log: string[] = [];
  const config = new TickAgent('config', [], context, log);
  const data = new TickAgent('data', ['config'], context, log);
  const trade = new TickAgent('trade', ['config'], context, log);
  const analysis = new TickAgent('analysis', ['data', 'trade'], context, log);
  const orchestrator = new Orchestrator([config, data, trade, analysis], { bus, logger, timeoutClock: new SystemClock() });
  const supervisor = new Supervisor(orchestrator, { bus, clock, logger, settings: () => ({ max, windowS: 60, backoffMs: 1000, maxBackoffMs: 10_000 }) });
  supervisor.attach();
  const seen: Array<{ topic: string; payload: unknown }> = [];
  for (const topic of ['agent.restarted', 'system.safeMode'] as const) bus.subscribe('test', topic, ({ payload }) => void seen.push({ topic, payload }));
  const tick = (price: number): void => void bus.publish('test', 'market.tick', { symbol: 'BTC/USDT', price, time: price, volume: 1 });
  /** Moves the clock and lets the restart's promises settle. */
  const wait = async (ms: number): Promise<void> => {
    clock.advance(ms);
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return { bus, clock, logger, log, config, data, trade, analysis, orchestrator, supervisor, seen, tick, wait };
}

describe('Supervisor', () => {
  it('restarts a faulted agent alone after its backoff, pausing its dependants meanwhile, and keeps the delivery order', async () => {
    const s = setup();
    await s.orchestrator.startAll();
    s.tick(1);
    expect(s.log).toEqual(['config:1', 'data:1', 'trade:1', 'analysis:1']);
    s.trade.failing = true;
    s.tick(2);
    expect(s.trade.currentState).toBe('faulted');
    expect(s.analysis.currentState).toBe('paused');
    s.trade.failing = false;
    s.log.length = 0;
    s.tick(3);
    // Neither the faulted agent nor its paused dependant gets anything; the others go on.
    expect(s.log).toEqual(['config:3', 'data:3']);
    await s.wait(999);
    expect(s.trade.starts).toBe(1);
    await s.wait(1);
    expect(s.trade.starts).toBe(2);
    expect(s.orchestrator.statuses().map((a) => a.state)).toEqual(['running', 'running', 'running', 'running']);
    s.log.length = 0;
    s.tick(4);
    // trade subscribed again after analysis, but is served in its start order, before it.
    expect(s.log).toEqual(['config:4', 'data:4', 'trade:4', 'analysis:4']);
    expect(s.seen).toEqual([
      { topic: 'agent.restarted', payload: { agent: 'trade', attempt: 1, delayMs: 1000, reason: 'its handler of market.tick threw: trade broke on BTC/USDT', dependants: ['analysis'] } },
    ]);
    expect(s.supervisor.restarts('trade')).toBe(1);
  });

  it('backs off twice as long each time, and enters safe mode past the limit, leaving the dependants running', async () => {
    const s = setup(2);
    await s.orchestrator.startAll();
    s.data.failing = true;
    s.tick(1);
    await s.wait(1000);
    expect(s.data.starts).toBe(2);
    s.tick(2);
    await s.wait(1999);
    expect(s.data.starts).toBe(2);
    await s.wait(1);
    expect(s.data.starts).toBe(3);
    s.tick(3);
    expect(s.data.currentState).toBe('faulted');
    await s.wait(60_000);
    expect(s.data.starts).toBe(3);
    expect(s.analysis.currentState).toBe('running');
    expect(s.seen.map((e) => e.topic)).toEqual(['agent.restarted', 'agent.restarted', 'system.safeMode']);
    expect(s.seen[2]!.payload).toEqual({ agent: 'data', reason: expect.stringContaining('agent data faulted again after 2 restarts in 60 s'), restarts: 2, windowS: 60 });
    expect(s.supervisor.safeMode).toMatchObject({ agent: 'data' });
    expect(s.logger.lines.some((l) => l.level === 'error' && l.message.includes('safe mode: agent data faulted again'))).toBe(true);
  });

  it('counts a restart whose start fails as the next fault', async () => {
    const s = setup(3);
    await s.orchestrator.startAll();
    s.trade.failStarts = 1;
    s.trade.fault(new Error('lost the broker'));
    await s.wait(1000);
    expect(s.trade.currentState).toBe('faulted');
    await s.wait(2000);
    expect(s.trade.currentState).toBe('running');
    expect(s.seen.map((e) => (e.payload as { attempt: number }).attempt)).toEqual([2]);
    expect(s.analysis.currentState).toBe('running');
  });

  it('restarts an agent reported silent, and does nothing once the bot is stopping', async () => {
    const s = setup();
    await s.orchestrator.startAll();
    s.bus.publish('monitor', 'agent.silent', { agent: 'data', silentMs: 20_000, thresholdMs: 15_000 });
    expect(s.data.currentState).toBe('faulted');
    await s.wait(1000);
    expect(s.data.currentState).toBe('running');
    await s.orchestrator.stopAll('done');
    s.bus.publish('monitor', 'agent.silent', { agent: 'data', silentMs: 20_000, thresholdMs: 15_000 });
    expect(s.data.currentState).toBe('stopped');
  });

  it('restarts at once when an operator asks, outside the budget', async () => {
    const s = setup(0);
    await s.orchestrator.startAll();
    await s.supervisor.restartNow('trade');
    expect(s.trade.starts).toBe(2);
    expect(s.supervisor.safeMode).toBeUndefined();
    await expect(s.supervisor.restartNow('nope')).rejects.toThrow('no agent is named nope');
  });
});
