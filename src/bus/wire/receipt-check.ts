import { mayPublish } from '../topic-owners';
import { openFrame } from './signed-frame';
import { WIRE_KINDS, WIRE_VERSION, type WireMessage } from './wire-message';

export const REFUSALS = ['signature', 'version', 'shape', 'owner', 'stale', 'replayed', 'fence'] as const;
export type Refusal = (typeof REFUSALS)[number];

export type Receipt = { ok: true; message: WireMessage } | { ok: false; reason: Refusal; detail: string };

export interface ReceiptCheckOptions {
  key: Buffer;
  maxSkewMs: number;
  now: () => number;
}

/**
 * What a process accepts from the others, in this order: a signature made with the bus key, this version
 * and shape of message, a sender that may publish the topic (the in-process ownership rules, topic-owners.ts),
 * a timestamp within bus.maxSkewMs of ours, an id not seen before, and for the trade agent's messages a
 * fencing token no lower than one seen before (a deposed leader). Each refusal is counted by its reason.
 */
export class ReceiptCheck {
  readonly refused: Record<Refusal, number> = { signature: 0, version: 0, shape: 0, owner: 0, stale: 0, replayed: 0, fence: 0 };
  accepted = 0;
  /** origin/id -> ts, oldest first; anything older than the skew window is refused as stale anyway. */
  private readonly seen = new Map<string, number>();
  private highestFence = 0;

  constructor(private readonly options: ReceiptCheckOptions) {}

  check(frame: string): Receipt {
    const opened = openFrame(frame, this.options.key);
    if (!opened.ok) return this.refuse('signature', 'its signature does not match the bus key');
    let parsed: unknown;
    try {
      parsed = JSON.parse(opened.body);
    } catch {
      return this.refuse('shape', 'it is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null) return this.refuse('shape', 'it is not an object');
    const v = (parsed as { v?: unknown }).v;
    if (v !== WIRE_VERSION) return this.refuse('version', `its wire version is ${JSON.stringify(v)}, this process reads ${WIRE_VERSION}`);
    const shapeProblem = problemWithShape(parsed as Record<string, unknown>);
    if (shapeProblem !== undefined) return this.refuse('shape', shapeProblem);
    const message = parsed as WireMessage;
    if (!ownsWhatItSends(message)) return this.refuse('owner', `${message.source} may not send ${message.kind} ${message.topic}`);
    const now = this.options.now();
    const age = now - message.ts;
    if (Math.abs(age) > this.options.maxSkewMs) {
      return this.refuse('stale', `${message.kind} ${message.topic} is ${Math.round(age)} ms from this process's clock (bus.maxSkewMs ${this.options.maxSkewMs})`);
    }
    const key = `${message.origin}/${message.id}`;
    if (this.seen.has(key)) return this.refuse('replayed', `${message.kind} ${message.topic} ${key} was received before`);
    if (message.fence !== undefined) {
      if (message.fence < this.highestFence) return this.refuse('fence', `${message.topic} carries fencing token ${message.fence}, older than ${this.highestFence}: its sender is no longer the trade leader`);
      this.highestFence = message.fence;
    }
    this.remember(key, message.ts, now);
    this.accepted++;
    return { ok: true, message };
  }

  /** Marks one of our own messages seen, so a copy of it sent back is a replay. */
  sent(origin: string, id: number, ts: number): void {
    this.remember(`${origin}/${id}`, ts, ts);
  }

  totalRefused(): number {
    let sum = 0;
    for (const reason of REFUSALS) sum += this.refused[reason];
    return sum;
  }

  private remember(key: string, ts: number, now: number): void {
    this.seen.set(key, ts);
    const horizon = now - 2 * this.options.maxSkewMs;
    for (const [k, t] of this.seen) {
      if (t >= horizon || this.seen.size < 16) break;
      this.seen.delete(k);
    }
  }

  private refuse(reason: Refusal, detail: string): Receipt {
    this.refused[reason]++;
    return { ok: false, reason, detail };
  }
}

function ownsWhatItSends(message: WireMessage): boolean {
  switch (message.kind) {
    case 'event':
    case 'reply':
      return mayPublish(message.source, message.topic);
    case 'failure':
      return mayPublish(message.source, message.topic);
    case 'control':
      return message.source === 'bus';
    case 'request':
      return true;
  }
}

function problemWithShape(m: Record<string, unknown>): string | undefined {
  if (!(WIRE_KINDS as readonly unknown[]).includes(m['kind'])) return `its kind ${JSON.stringify(m['kind'])} is none of ${WIRE_KINDS.join(', ')}`;
  for (const field of ['origin', 'topic', 'source'] as const) {
    if (typeof m[field] !== 'string' || (m[field] as string).length === 0) return `its ${field} is not a string`;
  }
  for (const field of ['id', 'ts'] as const) {
    if (typeof m[field] !== 'number' || !Number.isFinite(m[field])) return `its ${field} is not a number`;
  }
  if (!('payload' in m)) return 'it has no payload';
  if (m['correlationId'] !== undefined && typeof m['correlationId'] !== 'number') return 'its correlationId is not a number';
  if (m['fence'] !== undefined && (typeof m['fence'] !== 'number' || !Number.isInteger(m['fence']))) return 'its fence is not an integer';
  const kind = m['kind'];
  if ((kind === 'reply' || kind === 'failure') && (typeof m['to'] !== 'string' || typeof m['correlationId'] !== 'number')) {
    return `a ${String(kind)} needs its requester's origin (to) and the request's id (correlationId)`;
  }
  return undefined;
}
