/** What travels on the bus: plain JSON, never mutated after publish. */
export interface Envelope<T extends string = string, P = unknown> {
  /** Unique per process; a counter, because UUIDs cost too much on the hot path. */
  readonly id: number;
  readonly topic: T;
  /** Name of the agent (or 'bus') that published it. */
  readonly source: string;
  /** Publish time from the injected clock, in ms since the epoch. */
  readonly ts: number;
  /** For a reply: the id of the request it answers. */
  readonly correlationId?: number;
  readonly payload: P;
}
