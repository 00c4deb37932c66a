import type { AgentState } from '../core/agent-state';
import type { Clock, Timer } from '../core/clock';
import type { BusBridge } from '../bus/remote/bus-bridge';
import type { Membership, Presence } from './membership';

export interface LocalAgents {
  /** This process's agents and their states, now. */
  states(): Array<{ name: string; state: AgentState }>;
}

/**
 * Says on the bus which agents this process runs and in what state: at start, whenever one changes, every
 * bus.presenceIntervalMs, and a goodbye at a clean stop. What it hears from the others (and itself) goes
 * into the membership, which is how an orchestrator waits for agents in other processes and how the
 * cluster notices that a process died.
 */
export class PresenceAnnouncer {
  private timer: Timer | undefined;
  private offs: Array<() => void> = [];

  constructor(
    private readonly bridge: BusBridge,
    private readonly membership: Membership,
    private readonly options: { node: string; clock: Clock; intervalMs: number; agents: LocalAgents },
  ) {}

  start(): void {
    this.offs.push(
      this.bridge.onControl('presence', (payload, message) => {
        const presence = payload as Presence;
        if (presence && presence.origin === message.origin && Array.isArray(presence.agents)) this.membership.heard({ ...presence, time: this.options.clock.now() });
      }),
      this.bridge.onControl('presence.hello', () => this.announce()),
      this.bridge.onControl('presence.leave', (_payload, message) => this.membership.left(message.origin)),
    );
    this.membership.start();
    this.announce();
    this.bridge.sendControl('presence.hello', {});
    this.timer = this.options.clock.setInterval(() => this.announce(), this.options.intervalMs, { keepAlive: false });
  }

  /** Now, rather than at the next interval: an agent changed state. */
  announce(): void {
    const presence: Presence = { node: this.options.node, origin: this.bridge.origin, agents: this.options.agents.states(), time: this.options.clock.now() };
    this.membership.heard(presence);
    this.bridge.sendControl('presence', presence);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    for (const off of this.offs.splice(0)) off();
    this.membership.stop();
    this.bridge.sendControl('presence.leave', {}, 'reliable');
  }
}
