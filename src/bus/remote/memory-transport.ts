import type { Lane, Transport } from '../transport';

interface Member {
  origin: string;
  receive: (frame: string, lane: Lane) => void;
}

/**
 * Several buses of one process joined as if they were processes: the same interface as the Redis
 * transport, with one order for every frame (so the ordering rules hold trivially) and delivery on the next
 * turn of the event loop, as across a socket. For tests of what crosses, and of the bridge, without a server.
 */
export class MemoryHub {
  private readonly members: Member[] = [];
  private readonly queue: Array<{ from: string; lane: Lane; frame: string; to?: string }> = [];
  private scheduled = false;
  /** A frame the hub is asked to inject, as an attacker on the Redis could (tests). */
  inject(frame: string, lane: Lane = 'reliable'): void {
    this.enqueue('intruder', lane, frame);
  }

  transport(): Transport {
    return new MemoryTransport(this);
  }

  join(member: Member): () => void {
    this.members.push(member);
    return () => {
      const at = this.members.indexOf(member);
      if (at >= 0) this.members.splice(at, 1);
    };
  }

  enqueue(from: string, lane: Lane, frame: string, to?: string): void {
    this.queue.push({ from, lane, frame, ...(to !== undefined ? { to } : {}) });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  /** Resolves once everything queued so far was handed in. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => (this.queue.length === 0 && !this.scheduled ? resolve() : void setImmediate(check));
      check();
    });
  }

  private drain(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const next = this.queue.shift()!;
      for (const member of [...this.members]) {
        if (member.origin === next.from) continue;
        if (next.lane === 'direct' && member.origin !== next.to) continue;
        member.receive(next.frame, next.lane);
      }
    }
  }
}

class MemoryTransport implements Transport {
  readonly description = 'in-memory hub';
  private origin = '';
  private leave: (() => void) | undefined;
  private out = 0;
  private in = 0;

  constructor(private readonly hub: MemoryHub) {}

  async connect(origin: string, receive: (frame: string, lane: Lane) => void): Promise<void> {
    this.origin = origin;
    this.leave = this.hub.join({
      origin,
      receive: (frame, lane) => {
        this.in++;
        receive(frame, lane);
      },
    });
  }

  send(lane: Lane, frame: string, to?: string): void {
    if (this.leave === undefined) return;
    this.out++;
    this.hub.enqueue(this.origin, lane, frame, to);
  }

  flush(): Promise<void> {
    return this.hub.idle();
  }

  async close(): Promise<void> {
    this.leave?.();
    this.leave = undefined;
  }

  stats(): Readonly<Record<string, number>> {
    return { framesIn: this.in, framesOut: this.out };
  }
}
