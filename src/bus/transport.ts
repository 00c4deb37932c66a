/**
 * How frames travel between processes: the seam the bus bridge (remote/bus-bridge.ts) sends through.
 * - `broadcast`: to every other process, loss-tolerant and fast (Redis pub/sub): market data, presence.
 * - `reliable`: to every other process, in one order for all, at-least-once, acknowledged once delivered,
 *   resumed after a reconnect from the last acknowledged one (a Redis stream with a consumer group per
 *   process): orders, fills, portfolio, lifecycle.
 * - `requests`: to every other process, loss-tolerant; the one that handles the topic answers.
 * - `direct`: to one process, named by its origin: replies.
 * A broadcast frame is handed in only after every reliable frame its sender had seen when it sent it, so a
 * market period never overtakes the fills it was published after.
 */
export type Lane = 'broadcast' | 'reliable' | 'requests' | 'direct';

export interface Transport {
  /** A short description for the log, secrets left out (`redis://127.0.0.1:6379`). */
  readonly description: string;
  /**
   * Connects and starts handing in frames from other processes (never this one's own, named `origin`).
   * Resolves once frames sent from now on will reach this process.
   */
  connect(origin: string, receive: (frame: string, lane: Lane) => void): Promise<void>;
  /** Queues a frame; `to` is the addressee's origin on the direct lane. */
  send(lane: Lane, frame: string, to?: string): void;
  /** Resolves once every frame sent so far has left this process. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Told when this process loses its connection to the others and when it has it back. */
  onConnection?(listener: (connected: boolean) => void): void;
  /** Counters for /metrics and the log: frames in and out, reconnects. */
  stats(): Readonly<Record<string, number>>;
}
