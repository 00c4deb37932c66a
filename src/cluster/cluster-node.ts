import type { EventBus } from '../bus/event-bus';
import { BusBridge } from '../bus/remote/bus-bridge';
import type { Transport } from '../bus/transport';
import type { PeriodGate } from '../agents/data-agent';
import type { AgentState } from '../core/agent-state';
import type { Clock, Timer } from '../core/clock';
import type { BotConfig } from '../config/schema';
import type { Logger } from '../logging/logger';
import { AnalysisShard } from './analysis-shard';
import { awaitedAgents, localRoles, nodeName } from './cluster-settings';
import { Lockstep } from './lockstep';
import { Membership } from './membership';
import { PresenceAnnouncer } from './presence-announcer';
import { SignalMerge } from './signal-merge';
import { AGENT_NAMES } from '../bus/topic-owners';
import { PERIOD_PHASES } from '../bus/topics';

export interface ClusterNodeOptions {
  bus: EventBus;
  transport: Transport;
  key: Buffer;
  config: BotConfig;
  clock: Clock;
  logger: Logger;
  /** The market is played (simulated or replayed), not live: lockstep applies. */
  played: boolean;
}

/** How long an agent here waits for one it depends on to run somewhere on the bus. */
const WAIT_FOR_AGENT_MS = 120_000;
const WAIT_LOG_EVERY_MS = 5_000;
/** With live data, signals from the shards are put back in symbol order after this long. */
const LIVE_SIGNAL_MERGE_MS = 20;

/**
 * One process's place in a bot spread over a bus: the bridge to the others, the presence it announces and
 * hears (who runs what), the lockstep of a played market, the analysis shard and the merge of the shards'
 * signals. The composition root makes it; run-bot.ts joins before the agents start and leaves after they stop.
 */
export class ClusterNode {
  readonly bridge: BusBridge;
  readonly membership: Membership;
  readonly node: string;
  readonly roles: ReadonlySet<string>;
  readonly shard: AnalysisShard | undefined;
  private readonly lockstep: Lockstep | undefined;
  private readonly presence: PresenceAnnouncer;
  private readonly log: Logger;
  private readonly merge: SignalMerge | undefined;
  private agentStates: () => Array<{ name: string; state: AgentState }> = () => [];
  private offs: Array<() => void> = [];
  private left = false;

  constructor(private readonly options: ClusterNodeOptions) {
    const { config, clock, bus } = options;
    this.node = nodeName(config);
    this.roles = localRoles(config);
    this.log = options.logger.child({ agent: 'bus' });
    const merge = (this.merge = this.roles.has('trade') ? new SignalMerge(config.market.symbols, { clock, flushMs: options.played && config.bus.lockstep ? undefined : LIVE_SIGNAL_MERGE_MS }) : undefined);
    this.bridge = new BusBridge({ bus, transport: options.transport, key: options.key, maxSkewMs: config.bus.maxSkewMs, clock, logger: options.logger, ...(merge ? { inbound: merge.inbound } : {}) });
    this.membership = new Membership({ clock, failoverMs: config.bus.failoverMs, self: bus.origin });
    this.presence = new PresenceAnnouncer(this.bridge, this.membership, { node: this.node, clock, intervalMs: config.bus.presenceIntervalMs, agents: { states: () => this.agentStates() } });
    this.lockstep = new Lockstep(this.bridge, this.membership, { clock, failoverMs: config.bus.failoverMs, logger: this.log });
    this.shard = this.roles.has('analysis') ? new AnalysisShard(this.membership, config.market.symbols, this.node) : undefined;
  }

  /** The DataAgent's gate: a played market in lockstep waits for every process after each phase. */
  get gate(): PeriodGate | undefined {
    return this.options.played && this.options.config.bus.lockstep ? this.lockstep : undefined;
  }

  /** The agents of this process that do not run here, for the orchestrator. */
  get elsewhere(): ReadonlySet<string> {
    return new Set(AGENT_NAMES.filter((a) => !this.roles.has(a)));
  }

  async join(agentStates: () => Array<{ name: string; state: AgentState }>): Promise<void> {
    this.agentStates = agentStates;
    await this.bridge.start();
    const { bus } = this.options;
    this.offs.push(
      bus.subscribe('cluster', 'agent.state', (message) => {
        if (message.origin === bus.origin) this.presence.announce();
      }),
    );
    // Silence heard while this process itself is cut off from Redis proves nothing about the others.
    this.options.transport.onConnection?.((connected) => {
      if (connected) {
        this.membership.regainedContact();
        this.presence.announce();
      } else this.membership.lostContact();
    });
    if (this.merge && this.roles.has('data')) {
      // Before every agent here (rank -1): the held signals of the period go first, as from another process.
      for (const topic of [...PERIOD_PHASES, 'market.ended'] as const) {
        this.offs.push(bus.subscribe('cluster', topic, (message) => {
          if (message.origin === bus.origin) this.merge?.marketMessage();
        }, undefined, -1));
      }
    }
    this.presence.start();
    this.lockstep?.start(bus);
    this.shard?.start();
    this.log.info(`on the bus at ${this.options.transport.description} as ${this.node} (${[...this.roles].join(', ')}), origin ${bus.origin}`);
  }

  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    for (const off of this.offs.splice(0)) off();
    this.shard?.stop();
    this.lockstep?.stop();
    this.presence.stop();
    const stats = this.bridge.stats();
    await this.bridge.stop();
    const refused = Object.entries(stats).filter(([k, v]) => k.startsWith('refused.') && v > 0);
    this.log.info(`left the bus: ${stats['framesSent']} frames sent, ${stats['accepted']} accepted${refused.length > 0 ? `, refused ${refused.map(([k, v]) => `${k.slice(8)} ${v}`).join(', ')}` : ''}`);
  }

  /** Resolves once `agent` runs in `count` processes of the bus; rejects after `timeoutMs`, naming it. */
  waitFor(agent: string, count = 1, timeoutMs = WAIT_FOR_AGENT_MS): Promise<void> {
    const { clock } = this.options;
    return new Promise((resolve, reject) => {
      const started = clock.now();
      let lastLog = started;
      let timer: Timer | undefined;
      let off = (): void => undefined;
      const done = (error?: Error): void => {
        off();
        timer?.cancel();
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        const running = this.membership.runningAgent(agent).length;
        if (running >= count) return done();
        const now = clock.now();
        if (now - started >= timeoutMs) {
          return done(new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${count > 1 ? `${count} processes running ${agent}` : `agent ${agent}`} on the bus and ${running === 0 ? 'no process runs it' : `only ${running} do`}: start it with --role ${agent} --bus <the same Redis>`));
        }
        if (now - lastLog >= WAIT_LOG_EVERY_MS) {
          lastLog = now;
          this.log.info(`waiting for ${count > 1 ? `${count} processes running ${agent}` : `agent ${agent}`} on the bus (${running} so far)`);
        }
      };
      off = this.membership.onChange(check);
      timer = clock.setInterval(check, 250, { keepAlive: false });
      check();
    });
  }

  /** What bus.await names, before the market plays. */
  async awaitCluster(): Promise<void> {
    for (const { agent, count } of awaitedAgents(this.options.config)) await this.waitFor(agent, count);
  }
}
