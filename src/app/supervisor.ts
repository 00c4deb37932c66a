import { BusPort } from '../bus/bus-port';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import type { Bus, Unsubscribe } from '../bus/bus';
import type { Clock, Timer } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../logging/logger';
import { RestartBudget, type RestartSettings } from '../monitor/restart-budget';
import type { Orchestrator } from './orchestrator';

export interface SupervisorOptions {
  bus: Bus;
  /** The agents' clock: backoff delays and the restart window run on it. */
  clock: Clock;
  logger: Logger;
  settings: () => RestartSettings;
}

/** Once the supervisor gave up on an agent. */
export interface SafeMode {
  agent: string;
  reason: string;
  since: number;
}

/**
 * Keeps the agents running while the bot runs: an agent that faults (its start, a handler that throws, or a
 * silence past `monitor.silenceThresholdMs`) is restarted alone after a backoff, its dependants paused
 * meanwhile (Orchestrator.restart). Past `monitor.restart.max` restarts in the window it gives up: safe
 * mode, announced as `system.safeMode`, on which the trade side halts trading. The bot keeps running so a
 * person can look. Not used in backtests, where a fault is a failed run.
 */
export class Supervisor {
  private readonly port: BusPort;
  private readonly log: Logger;
  private readonly budget: RestartBudget;
  private readonly pending = new Map<string, Timer>();
  /** Agents whose restart is under way: a fault reported meanwhile is the restart's own, judged when it ends. */
  private readonly restarting = new Set<string>();
  private readonly offs: Unsubscribe[] = [];
  private active = false;
  private safe: SafeMode | undefined;
  /** Restarts carried out, per agent, for the status and the metrics (not only those in the window). */
  private readonly done = new Map<string, number>();

  constructor(
    private readonly orchestrator: Orchestrator,
    private readonly options: SupervisorOptions,
  ) {
    this.port = new BusPort(options.bus, 'supervisor', TOPIC_OWNERS.supervisor);
    this.log = options.logger.child({ agent: 'supervisor' });
    this.budget = new RestartBudget(options.settings);
  }

  /** Watches from `system.started` until `system.stopping`: a fault while starting or stopping is the orchestrator's. */
  attach(): void {
    const { bus } = this.options;
    this.offs.push(
      bus.subscribe('supervisor', 'system.started', () => {
        this.active = true;
      }),
      bus.subscribe('supervisor', 'system.stopping', () => this.detach()),
      bus.subscribe('supervisor', 'agent.state', ({ payload }) => {
        if (payload.to === 'faulted') this.faulted(payload.agent, payload.error ?? 'no reason given');
      }),
      bus.subscribe('supervisor', 'agent.error', ({ payload }) => this.failedHandling(payload.agent, `its handler of ${payload.topic} threw: ${payload.error}`)),
      bus.subscribe('supervisor', 'agent.silent', ({ payload }) =>
        this.failedHandling(payload.agent, `silent for ${payload.silentMs} ms (threshold ${payload.thresholdMs} ms)`),
      ),
    );
  }

  detach(): void {
    this.active = false;
    for (const timer of this.pending.values()) timer.cancel();
    this.pending.clear();
    for (const off of this.offs.splice(0)) off();
  }

  get safeMode(): SafeMode | undefined {
    return this.safe;
  }

  /** Restarts carried out for `agent` since the bot started. */
  restarts(agent: string): number {
    return this.done.get(agent) ?? 0;
  }

  /** An operator's restart: at once, outside the fault budget. */
  async restartNow(name: string): Promise<void> {
    const agent = this.orchestrator.agent(name);
    this.pending.get(agent.name)?.cancel();
    this.pending.delete(agent.name);
    await this.restart(agent.name, 1, 0, 'asked for by an operator');
  }

  /** A running agent that failed: faulted, which brings it back through `faulted()`. */
  private failedHandling(name: string, reason: string): void {
    if (!this.active) return;
    const agent = this.orchestrator.agents.find((a) => a.name === name);
    if (agent === undefined || (agent.currentState !== 'running' && agent.currentState !== 'paused')) return;
    agent.fault(new Error(reason));
  }

  private faulted(name: string, reason: string): void {
    if (!this.active || this.pending.has(name) || this.restarting.has(name) || !this.orchestrator.agents.some((a) => a.name === name)) return;
    const now = this.options.clock.now();
    const decision = this.budget.fault(name, now);
    if (!decision.restart) return this.enterSafeMode(name, reason, decision.restarts);
    const { attempt, delayMs } = decision;
    this.log.warn(`agent ${name} faulted (${reason}); restart ${attempt} of ${this.options.settings().max} in ${delayMs} ms`);
    // Its dependants wait paused from now, so nothing they do meanwhile relies on the faulted agent.
    for (const dependant of [...this.orchestrator.dependantsOf(name)].reverse()) dependant.pause();
    const timer = this.options.clock.setTimeout(
      () => {
        this.pending.delete(name);
        void this.restart(name, attempt, delayMs, reason);
      },
      delayMs,
      { keepAlive: false },
    );
    this.pending.set(name, timer);
  }

  private async restart(name: string, attempt: number, delayMs: number, reason: string): Promise<void> {
    if (!this.active) return;
    const dependants = this.orchestrator.dependantsOf(name).map((a) => a.name);
    this.restarting.add(name);
    try {
      await this.orchestrator.restart(name);
    } catch (err) {
      // A failed start is the next fault, with its own backoff (or safe mode).
      this.log.error(`agent ${name} did not come back: ${errorMessage(err)}`);
      this.restarting.delete(name);
      this.faulted(name, `its restart failed: ${errorMessage(err)}`);
      return;
    }
    this.restarting.delete(name);
    this.done.set(name, (this.done.get(name) ?? 0) + 1);
    this.log.info(`agent ${name} restarted (restart ${attempt})`);
    this.port.publish('agent.restarted', { agent: name, attempt, delayMs, reason, dependants });
    // A trade side that comes back after the bot gave up on another agent halts again.
    if (this.safe !== undefined) this.announceSafeMode();
  }

  private enterSafeMode(name: string, reason: string, restarts: number): void {
    const { windowS } = this.options.settings();
    // The agents that waited for it go on; the trade side among them halts on the announcement below.
    for (const dependant of this.orchestrator.dependantsOf(name)) dependant.resume();
    if (this.safe === undefined) {
      this.safe = { agent: name, reason: `agent ${name} faulted again after ${restarts} restarts in ${windowS} s: ${reason}`, since: this.options.clock.now() };
      this.log.error(`safe mode: ${this.safe.reason}; trading is halted, the bot keeps running for a person to look`);
    } else {
      this.log.error(`agent ${name} faulted again after ${restarts} restarts in ${windowS} s, left faulted (already in safe mode): ${reason}`);
    }
    this.announceSafeMode(name, restarts);
  }

  private announceSafeMode(agent = this.safe!.agent, restarts = this.budget.count(agent, this.options.clock.now())): void {
    const { windowS } = this.options.settings();
    this.port.publish('system.safeMode', { agent, reason: this.safe!.reason, restarts, windowS });
  }
}
