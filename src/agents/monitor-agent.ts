import type { AgentStatus } from '../core/agent-status';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import type { AgentStateChanged } from '../bus/topics';
import type { ConfigChanged } from '../config/diff-config';
import type { LogLevel } from '../logging/logger';
import type { PortfolioSnapshot } from '../portfolio/types';
import { formatSummary } from '../portfolio/summary';
import { Liveness } from '../monitor/liveness';
import { formatStatusLine } from '../monitor/status-line';
import { quoteCurrencyOf } from '../market/symbols';
import { formatStatusTable } from '../monitor/status-table';
import { AlertService, type AlertSecrets } from '../alerts/alert-service';
import { ALERT_INPUT_TOPICS, type AlertInputTopic } from '../alerts/alert-rules';
import type { FetchLike } from '../alerts/http-sender';
import type { EventTopics } from '../bus/topics';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

export interface MonitorAgentOptions {
  /** Every agent's status; the orchestrator provides it. */
  statuses: () => AgentStatus[];
  /** Applies a new log level to the root logger when the config reloads it. */
  setLogLevel: (level: LogLevel) => void;
  /** Report agents that go silent (off in backtests, which run on virtual time). */
  watchSilence?: boolean;
  /**
   * Alerting, with the channels' real secrets (the served configuration has them redacted); tests may swap
   * fetch and the backoff. Absent (backtests: nobody is there to hear, and drawdowns are the report's), no alerts.
   */
  alerts?: { secrets: AlertSecrets; fetch?: FetchLike; backoffMs?: number };
}

/**
 * Watches the others: logs their failures, reports an agent that has gone silent, and logs a status table
 * of all agents once they are all up and again at shutdown. Owns the log level at run time.
 */
export class MonitorAgent extends ConfiguredAgent {
  private readonly liveness = new Liveness();
  private readonly perTopic = new Map<string, number>();
  private messages = 0;
  private lastStatus = { at: 0, messages: 0 };
  private snapshot: PortfolioSnapshot | undefined;
  private equity: number | undefined;
  private closedTrades = 0;
  private alerts: AlertService | undefined;

  constructor(context: AgentContext, private readonly options: MonitorAgentOptions) {
    super({ name: 'monitor', dependsOn: ['config'], publishes: TOPIC_OWNERS.monitor }, context);
  }

  protected override onConfigured(): void {
    this.perTopic.clear();
    this.messages = 0;
    this.closedTrades = 0;
    this.snapshot = undefined;
    this.equity = undefined;
    this.lastStatus = { at: this.clock.now(), messages: 0 };
    this.startAlerts();
    // The tap runs for every message: a backtest (no silence watch, no status line) does without it.
    if (this.options.watchSilence !== false || this.config.monitor.statusIntervalMs > 0) this.watchTraffic();
    this.subscribe('agent.error', ({ payload }) => {
      this.log.error(`agent ${payload.agent} failed handling ${payload.topic}: ${payload.error}`);
    });
    this.subscribe('system.started', () => this.logStatusTable('all agents running'));
    this.subscribe('portfolio.updated', ({ payload }) => {
      this.snapshot = payload;
      this.equity = payload.equity;
    });
    this.subscribe('portfolio.marked', ({ payload }) => {
      this.equity = payload.equity;
    });
    this.subscribe('position.closed', ({ payload: t }) => {
      this.closedTrades += 1;
      if (!this.log.isEnabled('info')) return;
      this.log.info(
        `closed ${t.symbol}: ${t.pnl >= 0 ? '+' : ''}${t.pnl.toFixed(2)} (${t.pnlPct >= 0 ? '+' : ''}${t.pnlPct.toFixed(2)} %), ${t.exitReason}`,
      );
    });
    this.subscribe('portfolio.final', ({ payload }) => this.log.info(`run summary:\n${formatSummary(payload.summary)}`));
    if (this.options.watchSilence !== false) this.every(this.config.monitor.heartbeatIntervalMs, () => this.reportSilentAgents());
    if (this.config.monitor.statusIntervalMs > 0) this.every(this.config.monitor.statusIntervalMs, () => this.logStatusLine());
  }

  protected override onConfigChanged(change: ConfigChanged): void {
    if (change.applied.some((c) => c.key === 'log.level')) this.options.setLogLevel(this.config.log.level);
    if (change.applied.some((c) => c.key.startsWith('alerts.'))) this.alerts?.reconfigure(this.config.alerts);
  }

  protected override async onStop(): Promise<void> {
    const alerts = this.alerts;
    this.alerts = undefined;
    await alerts?.stop();
    this.logStatusTable('shutdown');
    const busiest = [...this.perTopic.entries()].sort((a, b) => b[1] - a[1]);
    this.log.debug(`messages per topic: ${busiest.map(([topic, n]) => `${topic} ${n}`).join(', ')}`);
  }

  /** Alerting (src/alerts/): the service gets the input topics as they come and publishes what it raises. */
  private startAlerts(): void {
    const previous = this.alerts;
    if (previous) void previous.stop();
    const extras = this.options.alerts;
    if (extras === undefined) return;
    const alerts = new AlertService({
      settings: this.config.alerts,
      secrets: extras.secrets,
      clock: this.clock,
      log: this.log,
      publish: (alert) => this.publish('alert.raised', alert),
      ...(extras.fetch ? { fetch: extras.fetch } : {}),
      ...(extras.backoffMs !== undefined ? { backoffMs: extras.backoffMs } : {}),
    });
    this.alerts = alerts;
    // A fault releases the agent without onStop: the service stops with it all the same.
    this.onRelease(() => void alerts.stop());
    for (const topic of ALERT_INPUT_TOPICS) {
      this.subscribe(topic, ({ payload }) => alerts.consume(topic as AlertInputTopic, payload as EventTopics[AlertInputTopic]));
    }
  }

  private logStatusLine(): void {
    const now = this.clock.now();
    const seconds = (now - this.lastStatus.at) / 1000;
    const eventsPerSecond = seconds > 0 ? (this.messages - this.lastStatus.messages) / seconds : 0;
    this.lastStatus = { at: now, messages: this.messages };
    const { startBalance } = this.config.portfolio;
    const status = {
      equity: this.equity ?? startBalance,
      quoteCurrency: quoteCurrencyOf(this.config.market.symbols),
      openPositions: this.snapshot?.positions.length ?? 0,
      startBalance,
      closedTrades: this.closedTrades,
      eventsPerSecond,
    };
    this.log.info(formatStatusLine(status));
    // Said on the bus too: a paper run rewrites its --out summary.json at each status line.
    this.publish('monitor.status', status);
  }

  /**
   * Counts the messages (for the status line) and tracks who speaks: any message an agent publishes proves
   * it alive, heartbeats cover the quiet ones. Only running agents are expected to speak, and the tap sees
   * state changes even while this agent is still starting.
   */
  private watchTraffic(): void {
    const agents = new Set(this.options.watchSilence === false ? [] : this.options.statuses().map((s) => s.name));
    this.tap((message) => {
      this.messages += 1;
      this.perTopic.set(message.topic, (this.perTopic.get(message.topic) ?? 0) + 1);
      if (!agents.has(message.source)) return;
      if (message.topic !== 'agent.state') return this.liveness.seen(message.source, message.ts);
      const { to } = message.payload as AgentStateChanged;
      if (to === 'running') this.liveness.seen(message.source, message.ts);
      else this.liveness.forget(message.source);
    });
  }

  private reportSilentAgents(): void {
    for (const { agent, silentMs } of this.liveness.newlySilent(this.clock.now(), this.config.monitor.silenceThresholdMs)) {
      this.log.warn(`agent ${agent} has been silent for ${silentMs} ms (threshold ${this.config.monitor.silenceThresholdMs} ms)`);
      // The supervisor restarts it.
      this.publish('agent.silent', { agent, silentMs, thresholdMs: this.config.monitor.silenceThresholdMs });
    }
  }

  private logStatusTable(title: string): void {
    this.log.info(`agent status (${title}):\n${formatStatusTable(this.options.statuses(), this.clock.now())}`);
  }
}
