/** What travels on the bus: plain JSON, never mutated after publish. */
export interface Envelope<T extends string = string, P = unknown> {
  /**
   * A counter, unique within its `origin`: `origin` and `id` together name a message across processes.
   * A counter because a UUID, or a string built per message, costs too much on the hot path.
   */
  readonly id: number;
  /** The process (bus) that created the message: a constant string, the same object in every envelope. */
  readonly origin: string;
  readonly topic: T;
  /** Name of the agent (or 'bus') that published it. */
  readonly source: string;
  /** Publish time from the injected clock, in ms since the epoch. */
  readonly ts: number;
  /** For a reply: the id of the request it answers (within the same origin). */
  readonly correlationId?: number;
  readonly payload: P;
}

/** A message's name across processes, for de-duplication and journals at a process boundary (never per message in-process). */
export function messageKey(message: Pick<Envelope, 'origin' | 'id'>): string {
  return `${message.origin}/${message.id}`;
}
