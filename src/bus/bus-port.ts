import type { Bus, Inbox, Listener, TapListener, RequestHandler, RequestOf, RequestOptions, ResponseOf, Unsubscribe } from './bus';
import { LIFECYCLE_TOPICS, type EventTopic, type EventTopics, type RequestTopic, type RequestTopics, type Topic } from './topics';

/**
 * One agent's connection to the bus. It carries the agent's name as the source of everything it sends and
 * enforces topic ownership: an agent may publish (or answer requests on) only the topics it declared, plus
 * the lifecycle topics every agent has. That is the in-process form of agent authentication, and the
 * declarations document the topology.
 */
export class BusPort {
  private readonly owned: ReadonlySet<string>;
  private lastPublished = '';
  /** The agent's place in the start order, for the order the bus delivers in; unranked subscribers come last. */
  rank: number | undefined;

  constructor(
    private readonly bus: Bus,
    readonly name: string,
    publishes: readonly Topic[],
  ) {
    this.owned = new Set<string>([...LIFECYCLE_TOPICS, ...publishes]);
  }

  publish<K extends EventTopic>(topic: K, payload: EventTopics[K], correlationId?: number): void {
    // An agent on the hot path publishes one topic over and over: checked once per run of the same topic.
    if (topic !== this.lastPublished) {
      this.assertOwns(topic);
      this.lastPublished = topic;
    }
    this.bus.publish(this.name, topic, payload, correlationId);
  }

  subscribe<K extends EventTopic>(topic: K, listener: Listener<EventTopics[K], K>, inbox?: Inbox): Unsubscribe {
    return this.bus.subscribe(this.name, topic, listener, inbox, this.rank);
  }

  handle<K extends RequestTopic>(
    topic: K,
    handler: RequestHandler<RequestOf<RequestTopics, K>, ResponseOf<RequestTopics, K>, K>,
  ): Unsubscribe {
    this.assertOwns(topic);
    return this.bus.handle(this.name, topic, handler);
  }

  request<K extends RequestTopic>(
    topic: K,
    payload: RequestOf<RequestTopics, K>,
    options?: RequestOptions,
  ): Promise<ResponseOf<RequestTopics, K>> {
    return this.bus.request(this.name, topic, payload, options);
  }

  tap(listener: TapListener): Unsubscribe {
    return this.bus.tap(listener);
  }

  private assertOwns(topic: string): void {
    if (!this.owned.has(topic)) {
      const declared = [...this.owned].filter((t) => !(LIFECYCLE_TOPICS as readonly string[]).includes(t));
      throw new Error(
        `agent ${this.name} may not publish ${topic}: it declares ${declared.length ? declared.join(', ') : 'no topics'}`,
      );
    }
  }
}
