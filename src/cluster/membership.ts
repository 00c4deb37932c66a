import type { Clock, Timer } from '../core/clock';

/** What a process announces about itself, over and over, so the others know it is alive. */
export interface Presence {
  /** The operator's name for the process; stable across its restarts. */
  node: string;
  /** Unique to one run of the process: a restart has a new origin under the same node name. */
  origin: string;
  agents: { name: string; state: string }[];
  /** When the sender made the announcement, by its own clock. */
  time: number;
}

export interface MembershipOptions {
  clock: Clock;
  /** A process not heard from for longer than this is taken for dead. */
  failoverMs: number;
  /** This process's own origin. */
  self: string;
}

interface Heard {
  presence: Presence;
  /** By our clock, not the sender's: clocks on two machines disagree, and silence is measured here. */
  heardAt: number;
}

/**
 * Who is alive, from presence announcements. Liveness is judged by when we last heard a process, so every
 * process that hears the same announcements agrees, and the shard ring and the leader's standby act on it.
 */
export class Membership {
  private readonly clock: Clock;
  private readonly failoverMs: number;
  private readonly self: string;
  private readonly byOrigin = new Map<string, Heard>();
  /** Origins that said goodbye; a late announcement of theirs still in flight must not bring them back. */
  private readonly departed = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private lastView: string;
  private ticker: Timer | undefined;
  /** Since when this process cannot hear the bus (its Redis connection is down): silence then proves nothing. */
  private deafSince: number | undefined;

  constructor(options: MembershipOptions) {
    if (!(options.failoverMs > 0)) throw new Error(`Membership needs a positive failoverMs, got ${options.failoverMs}.`);
    this.clock = options.clock;
    this.failoverMs = options.failoverMs;
    this.self = options.self;
    this.lastView = this.view();
  }

  heard(presence: Presence): void {
    if (this.departed.has(presence.origin)) return;
    const previous = this.byOrigin.get(presence.origin);
    const heardAt = this.clock.now();
    // An older announcement arriving late still proves the process alive, but must not undo a newer one.
    const latest = previous && previous.presence.time > presence.time ? previous.presence : presence;
    if (!previous) {
      const rival = this.originOfNode(presence.node);
      if (rival !== undefined && !this.displaces(presence, rival)) return;
      if (rival !== undefined) this.byOrigin.delete(rival);
    }
    this.byOrigin.set(presence.origin, { presence: latest, heardAt });
    this.notifyIfChanged();
  }

  /** A clean goodbye: gone at once, without waiting out failoverMs. */
  left(origin: string): void {
    this.departed.set(origin, this.clock.now());
    this.byOrigin.delete(origin);
    this.notifyIfChanged();
  }

  /**
   * This process lost its connection to the bus: until it is back, nobody is taken for dead for being
   * silent, or a Redis restart would have every analysis shard take every symbol and the market stop
   * waiting for anyone.
   */
  lostContact(): void {
    this.deafSince ??= this.clock.now();
  }

  /** Back on the bus: the time it could not hear does not count against anyone. */
  regainedContact(): void {
    if (this.deafSince === undefined) return;
    const deafFor = this.clock.now() - this.deafSince;
    this.deafSince = undefined;
    for (const heard of this.byOrigin.values()) heard.heardAt += deafFor;
    this.notifyIfChanged();
  }

  /** Processes heard within failoverMs, this one included once its own announcement came back, by node name. */
  alive(): Presence[] {
    const now = this.deafSince ?? this.clock.now();
    const alive: Presence[] = [];
    for (const { presence, heardAt } of this.byOrigin.values()) {
      if (now - heardAt <= this.failoverMs) alive.push(presence);
    }
    return alive.sort(byNodeThenOrigin);
  }

  /** Alive processes where `agent` is in state 'running', by node name. */
  runningAgent(agent: string): Presence[] {
    return this.alive().filter((p) => p.agents.some((a) => a.name === agent && a.state === 'running'));
  }

  /** Called when the alive set or any agent's running set changes; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Starts watching for silence: a process that stops announcing changes nothing until something looks. */
  start(): void {
    if (this.ticker) return;
    this.ticker = this.clock.setInterval(() => this.tick(), this.failoverMs / 4, { keepAlive: false });
  }

  stop(): void {
    this.ticker?.cancel();
    this.ticker = undefined;
  }

  private tick(): void {
    if (this.deafSince !== undefined) return;
    const now = this.clock.now();
    for (const [origin, { heardAt }] of this.byOrigin) {
      if (now - heardAt > this.failoverMs) this.byOrigin.delete(origin);
    }
    // An announcement in flight at the goodbye lands well within failoverMs; forgetting after that keeps the
    // map from growing with every restart.
    for (const [origin, leftAt] of this.departed) {
      if (now - leftAt > this.failoverMs) this.departed.delete(origin);
    }
    this.notifyIfChanged();
  }

  private originOfNode(node: string): string | undefined {
    for (const [origin, { presence }] of this.byOrigin) if (presence.node === node) return origin;
    return undefined;
  }

  /**
   * Two origins under one node name are a restart (or a misconfiguration): the newer announcement stands.
   * Except that nobody displaces this process in its own view, since it knows it is running; and a silent
   * rival yields whatever the times say, since the senders' clocks may disagree.
   */
  private displaces(incoming: Presence, rivalOrigin: string): boolean {
    if (incoming.origin === this.self) return true;
    if (rivalOrigin === this.self) return false;
    const rival = this.byOrigin.get(rivalOrigin)!;
    if (this.clock.now() - rival.heardAt > this.failoverMs) return true;
    return incoming.time >= rival.presence.time;
  }

  /** The alive set and each one's running agents, as one comparable string. */
  private view(): string {
    return JSON.stringify(
      this.alive().map((p) => [p.node, p.origin, p.agents.filter((a) => a.state === 'running').map((a) => a.name).sort()]),
    );
  }

  private notifyIfChanged(): void {
    const view = this.view();
    if (view === this.lastView) return;
    this.lastView = view;
    for (const listener of [...this.listeners]) listener();
  }
}

function byNodeThenOrigin(a: Presence, b: Presence): number {
  return a.node < b.node ? -1 : a.node > b.node ? 1 : a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0;
}
