import type { BaseAgent } from '../agents/base-agent';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import type { AgentStatus } from '../core/agent-status';
import { BusPort } from '../bus/bus-port';
import type { Bus } from '../bus/bus';
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { withTimeout } from '../core/with-timeout';
import type { Logger } from '../logging/logger';
import { dependantsOf, dependencyOrder } from './dependency-order';

export interface OrchestratorOptions {
  bus: Bus;
  logger: Logger;
  /**
   * Start and stop time-outs are wall time even when the agents run on a simulated clock: a backtest's
   * virtual time does not move while an agent is stuck starting.
   */
  timeoutClock: Clock;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /**
   * A bot spread over processes (cluster/cluster-node.ts): the agents that run elsewhere, waited for on the
   * bus before an agent here that depends on them starts, and what must run on the bus before the agents
   * are told the system started (the market plays).
   */
  elsewhere?: {
    agents: ReadonlySet<string>;
    waitFor(agent: string): Promise<void>;
    beforeStarted(): Promise<void>;
  };
}

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * Starts agents in dependency order, each within a time-out; if one fails, stops the ones already started
 * in reverse and reports why. Stops all in reverse on shutdown, and restarts one agent on its own.
 */
export class Orchestrator {
  readonly agents: readonly BaseAgent[];
  private readonly port: BusPort;
  private readonly log: Logger;
  private readonly startTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private started: BaseAgent[] = [];

  constructor(agents: readonly BaseAgent[], private readonly options: OrchestratorOptions) {
    this.agents = dependencyOrder(agents, options.elsewhere?.agents);
    this.agents.forEach((agent, rank) => agent.placeInStartOrder(rank));
    this.port = new BusPort(options.bus, 'orchestrator', TOPIC_OWNERS.orchestrator);
    this.log = options.logger.child({ agent: 'orchestrator' });
    this.startTimeoutMs = options.startTimeoutMs ?? 10_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  }

  /** Resolves once every agent runs; otherwise rolls back and rejects with a StartupError. */
  async startAll(): Promise<void> {
    this.log.info(`starting ${this.agents.length} agents: ${this.agents.map((a) => a.name).join(' -> ')}`);
    for (const agent of this.agents) {
      try {
        await this.startOne(agent);
      } catch (err) {
        const reason = `agent ${agent.name} failed to start: ${errorMessage(err)}`;
        this.log.error(`${reason}; stopping the ${this.started.length} agents already started`);
        await this.stopOne(agent).catch(() => undefined);
        await this.stopAll(reason);
        throw new StartupError(reason);
      }
      this.started.push(agent);
    }
    try {
      await this.options.elsewhere?.beforeStarted();
    } catch (err) {
      const reason = errorMessage(err);
      this.log.error(`${reason}; stopping the ${this.started.length} agents started`);
      await this.stopAll(reason);
      throw new StartupError(reason);
    }
    this.port.publish('system.started', { agents: this.started.map((a) => a.name) });
  }

  /** Stops every started agent in reverse start order; true when all stopped cleanly. */
  async stopAll(reason: string): Promise<boolean> {
    this.port.publish('system.stopping', { reason });
    let clean = true;
    for (const agent of [...this.started].reverse()) {
      try {
        await this.stopOne(agent);
      } catch (err) {
        clean = false;
        this.log.error(`agent ${agent.name} did not stop cleanly: ${errorMessage(err)}`);
      }
    }
    this.started = [];
    return clean;
  }

  /**
   * Stops and starts one agent. The agents that depend on it are paused meanwhile (last first), keeping
   * their state, and resumed in start order once it runs again, or left paused when it could not start (the
   * caller decides what then). The bus serves the restarted agent in its old place (BaseAgent.placeInStartOrder).
   */
  async restart(name: string): Promise<void> {
    const agent = this.agent(name);
    const dependants = this.dependantsOf(name).filter((a) => a.currentState === 'running' || a.currentState === 'paused');
    this.log.info(`restarting ${name}${dependants.length > 0 ? `, pausing ${dependants.map((a) => a.name).join(', ')}` : ''}`);
    for (const dependant of [...dependants].reverse()) dependant.pause();
    if (agent.currentState !== 'stopped' && agent.currentState !== 'created') await this.stopOne(agent).catch((err: unknown) => {
      this.log.warn(`agent ${name} did not stop cleanly before its restart: ${errorMessage(err)}`);
    });
    await this.startOne(agent);
    if (!this.started.includes(agent)) this.started.push(agent);
    for (const dependant of dependants) dependant.resume();
    // Only now may the restarted agent act on the others (a DataAgent goes on feeding on this).
    this.port.publish('system.resumed', { agent: agent.name, dependants: dependants.map((a) => a.name) });
  }

  /** The agents that depend on `name`, directly or not, in start order. */
  dependantsOf(name: string): BaseAgent[] {
    return dependantsOf(this.agents, this.agent(name).name);
  }

  agent(name: string): BaseAgent {
    const agent = this.agents.find((a) => a.name === name);
    if (!agent) throw new Error(`no agent is named ${name} (agents: ${this.agents.map((a) => a.name).join(', ')})`);
    return agent;
  }

  statuses(): AgentStatus[] {
    return this.agents.map((agent) => agent.status());
  }

  private async startOne(agent: BaseAgent): Promise<void> {
    const { elsewhere } = this.options;
    if (elsewhere) {
      for (const dep of agent.dependsOn) if (elsewhere.agents.has(dep) && !this.agents.some((a) => a.name === dep)) await elsewhere.waitFor(dep);
    }
    try {
      await withTimeout(agent.start(), this.startTimeoutMs, this.options.timeoutClock, `start of agent ${agent.name}`);
    } catch (err) {
      if (agent.currentState === 'starting') agent.fault(err);
      throw err;
    }
  }

  private async stopOne(agent: BaseAgent): Promise<void> {
    const before = agent.currentState;
    if (before !== 'running' && before !== 'paused' && before !== 'faulted') return;
    try {
      await withTimeout(agent.stop(), this.stopTimeoutMs, this.options.timeoutClock, `stop of agent ${agent.name}`);
    } catch (err) {
      // A stop that timed out leaves the agent stuck in 'stopping'; fault it so its resources are released.
      if (agent.currentState === 'stopping') agent.fault(err);
      throw err;
    }
  }
}
