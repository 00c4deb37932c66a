import { BusPort } from '../bus/bus-port';
import type { Bus, Inbox, Listener, TapListener, RequestHandler, RequestOf, RequestOptions, ResponseOf, Unsubscribe } from '../bus/bus';
import type { EventTopic, EventTopics, RequestTopic, RequestTopics, Topic } from '../bus/topics';
import type { Clock, Timer } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../logging/logger';
import { canTransition, InvalidTransitionError, type AgentState } from '../core/agent-state';
import type { AgentStatus } from '../core/agent-status';

/** What every agent is given by the composition root. */
export interface AgentContext {
  bus: Bus;
  clock: Clock;
  logger: Logger;
  /** How often a running agent says it is alive; 0 turns heartbeats off. */
  heartbeatIntervalMs?: number;
}

/** What an agent declares about itself, in its own class: the orchestrator and the bus read it. */
export interface AgentSpec {
  name: string;
  /** Agents that must be running before this one starts. */
  dependsOn?: readonly string[];
  /** Topics this agent publishes or answers; anything else is refused. */
  publishes?: readonly Topic[];
}

/**
 * The lifecycle every agent shares. `start()` and `stop()` are final and drive the state machine;
 * subclasses put their work in `onStart()`/`onStop()`. Everything an agent listens to goes through this
 * class, is delivered only while it runs, and is released when it stops or faults.
 */
export abstract class BaseAgent {
  readonly name: string;
  readonly dependsOn: readonly string[];
  protected readonly clock: Clock;
  protected readonly log: Logger;
  private readonly port: BusPort;
  private readonly heartbeatMs: number;
  private state: AgentState = 'created';
  private since: number;
  private lastError: string | undefined;
  /** Open only while running; counts the messages delivered to this agent's subscriptions. */
  private readonly inbox: Inbox = { open: false, delivered: 0 };
  /** Requests answered, counted with the deliveries. */
  private requestsIn = 0;
  private messagesOut = 0;
  private releases: Array<() => void> = [];
  /** Bumped on every start, so a start that timed out and finished late cannot revive the agent. */
  private startAttempt = 0;

  protected constructor(spec: AgentSpec, context: AgentContext) {
    if (this.start !== BaseAgent.prototype.start || this.stop !== BaseAgent.prototype.stop) {
      throw new Error(`agent ${spec.name} overrides start() or stop(); implement onStart()/onStop() instead`);
    }
    this.name = spec.name;
    this.dependsOn = spec.dependsOn ?? [];
    this.clock = context.clock;
    this.log = context.logger.child({ agent: spec.name });
    this.port = new BusPort(context.bus, spec.name, spec.publishes ?? []);
    this.heartbeatMs = context.heartbeatIntervalMs ?? 0;
    this.since = this.clock.now();
  }

  get currentState(): AgentState {
    return this.state;
  }

  status(): AgentStatus {
    return {
      name: this.name,
      state: this.state,
      since: this.since,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      messagesIn: this.inbox.delivered + this.requestsIn,
      messagesOut: this.messagesOut,
    };
  }

  async start(): Promise<void> {
    this.transition('starting');
    const attempt = ++this.startAttempt;
    try {
      await this.onStart();
    } catch (err) {
      if (attempt === this.startAttempt && this.state === 'starting') this.fault(err);
      throw err;
    }
    if (attempt !== this.startAttempt || this.state !== 'starting') {
      throw new Error(`agent ${this.name} finished starting after it had been given up (${this.state})`);
    }
    this.transition('running');
    if (this.heartbeatMs > 0) this.every(this.heartbeatMs, () => this.publish('agent.heartbeat', { agent: this.name }));
  }

  /**
   * Holds the agent while an agent it depends on restarts: nothing is delivered to it and its timers skip,
   * but it keeps its state and its subscriptions, so `resume()` goes on where it was.
   */
  pause(): void {
    if (this.state === 'running') this.transition('paused');
  }

  resume(): void {
    if (this.state === 'paused') this.transition('running');
  }

  /**
   * Its place in the start order (the orchestrator's): the bus delivers a topic to agents in this order, so
   * an agent restarted alone is served where it was, not after everyone who subscribed since.
   */
  placeInStartOrder(rank: number): void {
    this.port.rank = rank;
  }

  async stop(): Promise<void> {
    this.transition('stopping');
    try {
      await this.onStop();
    } catch (err) {
      this.fault(err);
      throw err;
    } finally {
      this.releaseAll();
    }
    this.transition('stopped');
  }

  /**
   * Marks the agent failed: releases its subscriptions and timers and records why. The orchestrator calls
   * it when a start times out; an agent calls it when its own background work breaks beyond repair.
   */
  fault(error: unknown): void {
    const message = errorMessage(error);
    this.lastError = message;
    this.releaseAll();
    if (canTransition(this.state, 'faulted')) this.transition('faulted', message);
    this.log.error(`faulted: ${message}`);
  }

  protected abstract onStart(): Promise<void> | void;

  protected onStop(): Promise<void> | void {
    // Most agents hold nothing beyond what BaseAgent releases for them.
  }

  protected publish<K extends EventTopic>(topic: K, payload: EventTopics[K]): void {
    this.messagesOut++;
    this.port.publish(topic, payload);
  }

  /** Delivered only while this agent runs; removed when it stops. */
  protected subscribe<K extends EventTopic>(topic: K, listener: Listener<EventTopics[K], K>): Unsubscribe {
    const off = this.port.subscribe(topic, listener, this.inbox);
    this.releases.push(off);
    return off;
  }

  /** Answers a request topic while this agent runs; removed when it stops. */
  protected handle<K extends RequestTopic>(
    topic: K,
    handler: RequestHandler<RequestOf<RequestTopics, K>, ResponseOf<RequestTopics, K>, K>,
  ): void {
    const off = this.port.handle(topic, (message) => {
      this.requestsIn++;
      this.messagesOut++;
      return handler(message);
    });
    this.releases.push(off);
  }

  protected request<K extends RequestTopic>(
    topic: K,
    payload: RequestOf<RequestTopics, K>,
    options?: RequestOptions,
  ): Promise<ResponseOf<RequestTopics, K>> {
    this.messagesOut++;
    return this.port.request(topic, payload, options);
  }

  /** Sees every message on the bus (monitoring, journals); removed when the agent stops. */
  protected tap(listener: TapListener): void {
    this.releases.push(this.port.tap(listener));
  }

  /** A repeating job on the agent's clock that stops with the agent. */
  protected every(ms: number, job: () => void): Timer {
    const timer = this.clock.setInterval(
      () => {
        if (this.state === 'running') job();
      },
      ms,
      { keepAlive: false },
    );
    this.releases.push(() => timer.cancel());
    return timer;
  }

  /** Anything else to undo when the agent stops or faults (a file watcher, a socket). */
  protected onRelease(release: () => void): void {
    this.releases.push(release);
  }

  private releaseAll(): void {
    const releases = this.releases;
    this.releases = [];
    for (const release of releases.reverse()) {
      try {
        release();
      } catch (err) {
        this.log.warn(`releasing a resource failed: ${errorMessage(err)}`);
      }
    }
  }

  private transition(to: AgentState, error?: string): void {
    const from = this.state;
    if (!canTransition(from, to)) throw new InvalidTransitionError(this.name, from, to);
    this.state = to;
    this.inbox.open = to === 'running';
    this.since = this.clock.now();
    this.log.info(`${from} -> ${to}`);
    this.port.publish('agent.state', { agent: this.name, from, to, ...(error !== undefined ? { error } : {}) });
    this.messagesOut++;
  }
}
