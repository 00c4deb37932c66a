import type { Envelope } from './envelope';
import type { EventTopics, RequestTopics } from './topics';

export type Unsubscribe = () => void;
export type Listener<P, T extends string = string> = (message: Envelope<T, P>) => void | Promise<void>;
export type TapListener = (message: Envelope) => void;

/**
 * A subscriber's door: while `open` is false its listeners get nothing, and `delivered` counts what they got.
 * Checked by the bus itself so a delivery costs no extra function call (this is the backtest's hot path).
 */
export interface Inbox {
  open: boolean;
  delivered: number;
}

/** Shape of a request map: topic -> { request, response }. */
export type RequestShape = Record<string, { request: unknown; response: unknown }>;
export type RequestHandler<Q, A, T extends string = string> = (message: Envelope<T, Q>) => A | Promise<A>;

export interface RequestOptions {
  timeoutMs?: number;
}

export type RequestOf<R, K extends keyof R> = R[K] extends { request: infer Q } ? Q : never;
export type ResponseOf<R, K extends keyof R> = R[K] extends { response: infer A } ? A : never;

/**
 * What agents (through BusPort), the orchestrator and the runners depend on: publish/subscribe, one handler
 * per request topic, and a tap that sees everything. The in-memory EventBus is the one implementation today;
 * a bus spanning processes implements the same interface, so nothing above it changes.
 */
export interface Bus<E extends object = EventTopics, R extends object = RequestTopics> {
  /** Delivers to every listener of the topic; with the in-memory bus, before it returns. */
  publish<K extends keyof E & string>(source: string, topic: K, payload: E[K], correlationId?: number): Envelope<K, E[K]>;
  /**
   * Listens to one topic under the subscriber's name, which is what a failure report will name. `rank`: the
   * subscriber's place in the start order; a ranked listener is delivered before every listener of a higher
   * rank, whenever it subscribed (an agent restarted alone keeps its place). Unranked ones go last, in turn.
   */
  subscribe<K extends keyof E & string>(subscriber: string, topic: K, listener: Listener<E[K], K>, inbox?: Inbox, rank?: number): Unsubscribe;
  /** Sees every message, requests and replies included, before any listener does. */
  tap(listener: TapListener): Unsubscribe;
  /** Registers the single handler of a request topic. */
  handle<K extends keyof R & string>(owner: string, topic: K, handler: RequestHandler<RequestOf<R, K>, ResponseOf<R, K>, K>): Unsubscribe;
  /** Sends a request to the topic's handler and resolves with its reply, or rejects on error or timeout. */
  request<K extends keyof R & string>(source: string, topic: K, payload: RequestOf<R, K>, options?: RequestOptions): Promise<ResponseOf<R, K>>;
}
