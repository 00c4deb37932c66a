import type { AgentStatus } from './agent-status';
import type { AgentStateChanged, ConfigChanged } from '../bus/topics';
import type { LogLevel } from '../logging/logger';
import { Liveness } from '../monitor/liveness';
import { formatStatusTable } from '../monitor/status-table';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

export interface MonitorAgentOptions {
  /** Every agent's status; the orchestrator provides it. */
  statuses: () => AgentStatus[];
  /** Applies a new log level to the root logger when the config reloads it. */
  setLogLevel: (level: LogLevel) => void;
}

/**
 * Watches the others: logs their failures, reports an agent that has gone silent, and logs a status table
 * of all agents once they are all up and again at shutdown. Owns the log level at run time.
 */
export class MonitorAgent extends ConfiguredAgent {
  private readonly liveness = new Liveness();

  constructor(context: AgentContext, private readonly options: MonitorAgentOptions) {
    super({ name: 'monitor', dependsOn: ['config'] }, context);
  }

  protected override onConfigured(): void {
    // Any message an agent publishes proves it alive; heartbeats cover the quiet ones. Only running agents
    // are expected to speak, and the tap sees state changes even while this agent is still starting.
    const agents = new Set(this.options.statuses().map((s) => s.name));
    this.tap((message) => {
      if (!agents.has(message.source)) return;
      if (message.topic !== 'agent.state') return this.liveness.seen(message.source, message.ts);
      const { to } = message.payload as AgentStateChanged;
      if (to === 'running') this.liveness.seen(message.source, message.ts);
      else this.liveness.forget(message.source);
    });
    this.subscribe('agent.error', ({ payload }) => {
      this.log.error(`agent ${payload.agent} failed handling ${payload.topic}: ${payload.error}`);
    });
    this.subscribe('system.started', () => this.logStatusTable('all agents running'));
    this.every(this.config.monitor.heartbeatIntervalMs, () => this.reportSilentAgents());
  }

  protected override onConfigChanged(change: ConfigChanged): void {
    if (change.applied.some((c) => c.key === 'log.level')) this.options.setLogLevel(this.config.log.level);
  }

  protected override onStop(): void {
    this.logStatusTable('shutdown');
  }

  private reportSilentAgents(): void {
    for (const { agent, silentMs } of this.liveness.newlySilent(this.clock.now(), this.config.monitor.silenceThresholdMs)) {
      this.log.warn(`agent ${agent} has been silent for ${silentMs} ms (threshold ${this.config.monitor.silenceThresholdMs} ms)`);
    }
  }

  private logStatusTable(title: string): void {
    this.log.info(`agent status (${title}):\n${formatStatusTable(this.options.statuses(), this.clock.now())}`);
  }
}
