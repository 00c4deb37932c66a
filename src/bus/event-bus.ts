import { EventEmitter } from 'eventemitter3';
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { deepFreeze } from '../core/deep-freeze';
import type { Bus, Inbox, Listener, RequestHandler, RequestOf, RequestOptions, ResponseOf, TapListener, Unsubscribe } from './bus';
import type { Envelope } from './envelope';
import { newBusOrigin } from './origin';
import type { EventTopics, RequestTopics } from './topics';

export type { Bus, Inbox, Listener, RequestHandler, RequestOf, RequestOptions, ResponseOf, TapListener, Unsubscribe } from './bus';

export interface EventBusOptions {
  clock: Clock;
  /** Deep-freeze every message so a listener that mutates one fails loudly. For tests; costs time. */
  freezeMessages?: boolean;
  /** Where a failure goes when it cannot be reported on the bus (an `agent.error` listener that throws). */
  onUnreportableError?: (agent: string, topic: string, error: unknown) => void;
  defaultRequestTimeoutMs?: number;
  /** This bus's name in message ids (Envelope.origin); a fresh one per process when absent. */
  origin?: string;
}

/**
 * The bus's side of a transport to other processes (bus/remote/bus-bridge.ts): it is told of every message
 * published here, and carries requests this process has no handler for. Absent, the bus is in-process only
 * and pays one property check per publish for it.
 */
export interface RemoteLink {
  sent(message: Envelope): void;
  request(message: Envelope, timeoutMs: number): Promise<unknown>;
}

interface Ranked {
  rank: number;
  listener: (message: Envelope) => void;
}

interface Responder {
  owner: string;
  handler: RequestHandler<unknown, unknown>;
}

/** The error listeners see is the one the bus reports; `agent.error` is therefore always present. */
type WithAgentError = { 'agent.error': EventTopics['agent.error'] };

/**
 * A typed, synchronous, in-process bus over eventemitter3. `publish` returns after every listener ran, so a
 * backtest is a plain loop. Each listener is isolated: one that throws (or rejects) is reported as an
 * `agent.error` message naming the agent, the topic and the error, and the others still run.
 */
export class EventBus<E extends object = EventTopics, R extends object = RequestTopics> implements Bus<E, R> {
  private readonly emitter = new EventEmitter();
  private readonly taps: TapListener[] = [];
  private readonly responders = new Map<string, Responder>();
  /** Each topic's listeners in delivery order, with their subscribers' ranks. */
  private readonly ranked = new Map<string, Ranked[]>();
  private nextId = 1;
  private remote: RemoteLink | undefined;
  /** Every envelope's origin: one string for the bus's life. */
  readonly origin: string;
  private readonly clock: Clock;
  private readonly freeze: boolean;
  private readonly defaultTimeoutMs: number;
  private readonly onUnreportable: (agent: string, topic: string, error: unknown) => void;

  constructor(options: EventBusOptions) {
    this.clock = options.clock;
    this.freeze = options.freezeMessages ?? false;
    this.defaultTimeoutMs = options.defaultRequestTimeoutMs ?? 5000;
    this.onUnreportable = options.onUnreportableError ?? (() => undefined);
    this.origin = options.origin ?? newBusOrigin();
  }

  publish<K extends keyof E & string>(source: string, topic: K, payload: E[K], correlationId?: number): Envelope<K, E[K]> {
    const message = this.envelope(source, topic, payload, correlationId);
    if (this.taps.length > 0) this.runTaps(message);
    // Sent on before the listeners run, so what they publish in turn follows it on the wire too.
    if (this.remote !== undefined) this.remote.sent(message);
    this.emitter.emit(topic, message);
    return message;
  }

  /** Connects the bus to other processes; the returned function disconnects it. */
  attachRemote(link: RemoteLink): () => void {
    if (this.remote !== undefined) throw new Error('this bus is already connected to other processes');
    this.remote = link;
    return () => {
      if (this.remote === link) this.remote = undefined;
    };
  }

  /** A message from another process, checked by the transport: delivered here as if published here, and not sent back. */
  receive(message: Envelope): void {
    if (this.taps.length > 0) this.runTaps(message);
    this.emitter.emit(message.topic, message);
  }

  hasHandler(topic: string): boolean {
    return this.responders.has(topic);
  }

  /** Another process's request for a topic this process handles: the handler's answer (or its error). */
  async answer(message: Envelope): Promise<unknown> {
    const responder = this.responders.get(message.topic);
    if (!responder) throw new Error(`no handler for topic ${message.topic} in this process`);
    if (this.taps.length > 0) this.runTaps(message);
    return responder.handler(message);
  }

  /** Who answers a request topic here, for the reply's source. */
  handlerOwner(topic: string): string | undefined {
    return this.responders.get(topic)?.owner;
  }

  /** Listens to one topic under the subscriber's name, which is what a failure report will name. */
  subscribe<K extends keyof E & string>(subscriber: string, topic: K, listener: Listener<E[K], K>, inbox?: Inbox, rank?: number): Unsubscribe {
    const isolated = (message: Envelope<K, E[K]>): void => {
      if (inbox !== undefined) {
        if (!inbox.open) return;
        inbox.delivered++;
      }
      try {
        const result = listener(message);
        if (result !== undefined && result instanceof Promise) result.catch((err: unknown) => this.reportListenerError(subscriber, topic, err));
      } catch (err) {
        this.reportListenerError(subscriber, topic, err);
      }
    };
    const entry: Ranked = { rank: rank ?? Number.POSITIVE_INFINITY, listener: isolated as (message: Envelope) => void };
    let list = this.ranked.get(topic);
    if (list === undefined) this.ranked.set(topic, (list = []));
    // Before the first ranked listener of a higher rank; the emitter's order is rebuilt only when that moves
    // someone (a restart), so subscribing in start order costs what it always did.
    const at = rank === undefined ? -1 : list.findIndex((e) => Number.isFinite(e.rank) && e.rank > rank);
    if (at < 0) {
      list.push(entry);
      this.emitter.on(topic, entry.listener);
    } else {
      list.splice(at, 0, entry);
      this.emitter.removeAllListeners(topic);
      for (const e of list) this.emitter.on(topic, e.listener);
    }
    return () => {
      const i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
      this.emitter.off(topic, entry.listener);
    };
  }

  /** Sees every message, requests and replies included, before any listener does. */
  tap(listener: TapListener): Unsubscribe {
    this.taps.push(listener);
    return () => {
      const at = this.taps.indexOf(listener);
      if (at >= 0) this.taps.splice(at, 1);
    };
  }

  /** Registers the single handler of a request topic. */
  handle<K extends keyof R & string>(
    owner: string,
    topic: K,
    handler: RequestHandler<RequestOf<R, K>, ResponseOf<R, K>, K>,
  ): Unsubscribe {
    const existing = this.responders.get(topic);
    if (existing) throw new Error(`topic ${topic} already has a handler (agent ${existing.owner}); agent ${owner} cannot add another`);
    const responder: Responder = { owner, handler: handler as RequestHandler<unknown, unknown> };
    this.responders.set(topic, responder);
    return () => {
      if (this.responders.get(topic) === responder) this.responders.delete(topic);
    };
  }

  /** Sends a request to the topic's handler and resolves with its reply, or rejects on error or timeout. */
  request<K extends keyof R & string>(
    source: string,
    topic: K,
    payload: RequestOf<R, K>,
    options: RequestOptions = {},
  ): Promise<ResponseOf<R, K>> {
    const responder = this.responders.get(topic);
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    if (!responder) {
      if (this.remote === undefined) return Promise.reject(new Error(`no handler for topic ${topic}`));
      const remote = this.envelope(source, topic, payload, undefined);
      if (this.taps.length > 0) this.runTaps(remote);
      return this.remote.request(remote, timeoutMs) as Promise<ResponseOf<R, K>>;
    }
    const request = this.envelope(source, topic, payload, undefined);
    if (this.taps.length > 0) this.runTaps(request);
    return new Promise<ResponseOf<R, K>>((resolve, reject) => {
      let settled = false;
      const timer = this.clock.setTimeout(() => {
        settled = true;
        reject(new Error(`request ${topic} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (error: unknown, reply?: unknown): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        if (error !== undefined) return reject(error instanceof Error ? error : new Error(errorMessage(error)));
        const response = this.envelope(responder.owner, topic, reply, request.id);
        if (this.taps.length > 0) this.runTaps(response);
        resolve(response.payload as ResponseOf<R, K>);
      };
      try {
        Promise.resolve(responder.handler(request)).then(
          (reply) => settle(undefined, reply),
          (err: unknown) => settle(err ?? new Error(`handler of ${topic} failed`)),
        );
      } catch (err) {
        settle(err ?? new Error(`handler of ${topic} failed`));
      }
    });
  }

  /** Listeners on one topic, or on all topics; taps and request handlers are not counted. */
  listenerCount(topic?: keyof E & string): number {
    if (topic !== undefined) return this.emitter.listenerCount(topic);
    return this.emitter.eventNames().reduce((sum, name) => sum + this.emitter.listenerCount(name), 0);
  }

  handlerCount(): number {
    return this.responders.size;
  }

  tapCount(): number {
    return this.taps.length;
  }

  private envelope<T extends string, P>(source: string, topic: T, payload: P, correlationId: number | undefined): Envelope<T, P> {
    const message: Envelope<T, P> = { id: this.nextId++, origin: this.origin, topic, source, ts: this.clock.now(), correlationId, payload };
    return this.freeze ? deepFreeze(message) : message;
  }

  private runTaps(message: Envelope): void {
    for (const tap of this.taps.slice()) {
      try {
        tap(message);
      } catch (err) {
        this.onUnreportable('tap', message.topic, err);
      }
    }
  }

  private reportListenerError(agent: string, topic: string, err: unknown): void {
    // A failing agent.error listener would otherwise report itself forever.
    if (topic === 'agent.error') return this.onUnreportable(agent, topic, err);
    const bus = this as unknown as EventBus<WithAgentError, R>;
    bus.publish('bus', 'agent.error', { agent, topic, error: errorMessage(err) });
  }
}
