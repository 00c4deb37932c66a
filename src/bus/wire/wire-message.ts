/** The version of the wire format below; a message of another version is dropped and counted. */
export const WIRE_VERSION = 1;

/**
 * - `event`: a published message, delivered to the listeners of its topic in every process.
 * - `request` / `reply` / `failure`: a request to the process that handles its topic, and its answer (a
 *   failure carries the handler's error message), sent back to the requester's origin.
 * - `control`: the transport's own messages (presence, the lockstep's acknowledgements), from `bus`.
 */
export const WIRE_KINDS = ['event', 'request', 'reply', 'failure', 'control'] as const;
export type WireKind = (typeof WIRE_KINDS)[number];

/** An envelope as it crosses a process boundary (bus/envelope.ts), with what the boundary needs. */
export interface WireMessage {
  v: typeof WIRE_VERSION;
  kind: WireKind;
  origin: string;
  id: number;
  topic: string;
  /** The agent that sent it: checked against the topic's owners on receipt. */
  source: string;
  /** Sender's clock, ms: refused when further than bus.maxSkewMs from the receiver's. */
  ts: number;
  payload: unknown;
  /** A reply's or failure's request id; an event's correlation id, as published. */
  correlationId?: number;
  /** A reply's or failure's addressee: the requester's origin. */
  to?: string;
  /** The trade leader's fencing token, on what the trade agent sends: lower than one seen before is refused. */
  fence?: number;
}
