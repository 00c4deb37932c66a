import type { Clock, Timer } from '../../core/clock';
import { errorMessage } from '../../core/errors';
import type { Logger } from '../../logging/logger';
import type { Envelope } from '../envelope';
import type { EventBus, RemoteLink } from '../event-bus';
import type { Lane, Transport } from '../transport';
import { ReceiptCheck, REFUSALS, type Refusal } from '../wire/receipt-check';
import { signFrame } from '../wire/signed-frame';
import { WIRE_VERSION, type WireKind, type WireMessage } from '../wire/wire-message';
import { crossesProcesses, laneOf } from './lanes';

export interface BusBridgeOptions {
  bus: EventBus;
  transport: Transport;
  /** BOT_BUS_KEY. */
  key: Buffer;
  maxSkewMs: number;
  clock: Clock;
  logger: Logger;
  /**
   * Where a checked message from another process goes before the bus: by default straight on; the cluster
   * puts the analysis shards' signals of a period back in one order here (cluster/signal-merge.ts).
   */
  inbound?: (message: Envelope, deliver: (message: Envelope) => void) => void;
}

type ControlListener = (payload: unknown, message: WireMessage) => void;

interface Pending {
  topic: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: Timer;
}

/**
 * Joins this process's bus to the others' through a transport. Everything published here is signed and
 * sent on its lane; everything received is checked (wire/receipt-check.ts: signature, version, shape,
 * owner, age, replay, fence) before the bus delivers it, and refused otherwise: counted, and logged at the
 * 1st, 10th, 100th... refusal of each reason so a flood cannot fill the log. Requests this process has no
 * handler for go to the others, with a time-out; requests for a topic it handles are answered back to the
 * requester. Signing happens only here, so in-process delivery pays nothing for it.
 */
export class BusBridge implements RemoteLink {
  readonly check: ReceiptCheck;
  private readonly pending = new Map<number, Pending>();
  private readonly controls = new Map<string, ControlListener[]>();
  private detach: (() => void) | undefined;
  private nextControlId = 1;
  private readonly log: Logger;
  /** The trade leader's fencing token, carried by the trade agent's messages (cluster/trade-leadership.ts). */
  fence: number | undefined;
  framesSent = 0;
  requestsAnswered = 0;
  requestsTimedOut = 0;

  constructor(private readonly options: BusBridgeOptions) {
    this.check = new ReceiptCheck({ key: options.key, maxSkewMs: options.maxSkewMs, now: () => options.clock.now() });
    this.log = options.logger.child({ agent: 'bus' });
  }

  get origin(): string {
    return this.options.bus.origin;
  }

  async start(): Promise<void> {
    await this.options.transport.connect(this.origin, (frame, lane) => this.received(frame, lane));
    this.detach = this.options.bus.attachRemote(this);
  }

  async stop(): Promise<void> {
    this.detach?.();
    this.detach = undefined;
    for (const [, pending] of this.pending) {
      pending.timer.cancel();
      pending.reject(new Error(`request ${pending.topic} was cut short: this process is leaving the bus`));
    }
    this.pending.clear();
    await this.options.transport.flush().catch(() => undefined);
    await this.options.transport.close();
  }

  sent(message: Envelope): void {
    if (!crossesProcesses(message.topic)) return;
    const fence = message.source === 'trade' ? this.fence : undefined;
    this.send(laneOf(message.topic), this.wire('event', message, fence));
  }

  request(message: Envelope, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = this.options.clock.setTimeout(() => {
        this.pending.delete(message.id);
        this.requestsTimedOut++;
        reject(new Error(`request ${message.topic} timed out after ${timeoutMs} ms: no process on the bus answered it`));
      }, timeoutMs);
      this.pending.set(message.id, { topic: message.topic, resolve, reject, timer });
      this.send('requests', this.wire('request', message));
    });
  }

  /** The transport's own messages (presence, lockstep): signed as 'bus', not delivered to agents. */
  sendControl(topic: string, payload: unknown, lane: Lane = 'broadcast'): void {
    const message: WireMessage = { v: WIRE_VERSION, kind: 'control', origin: this.origin, id: -this.nextControlId++, topic, source: 'bus', ts: this.options.clock.now(), payload };
    this.send(lane, signFrame(message, this.options.key));
  }

  onControl(topic: string, listener: ControlListener): () => void {
    let list = this.controls.get(topic);
    if (list === undefined) this.controls.set(topic, (list = []));
    list.push(listener);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** Frames on their way out have left; the transport's own counters with the refusals. */
  flush(): Promise<void> {
    return this.options.transport.flush();
  }

  stats(): Record<string, number> {
    const refused: Record<string, number> = {};
    for (const reason of REFUSALS) refused[`refused.${reason}`] = this.check.refused[reason];
    return { ...this.options.transport.stats(), framesSent: this.framesSent, accepted: this.check.accepted, ...refused, requestsAnswered: this.requestsAnswered, requestsTimedOut: this.requestsTimedOut, requestsPending: this.pending.size };
  }

  private send(lane: Lane, frame: string, to?: string): void {
    this.framesSent++;
    this.options.transport.send(lane, frame, to);
  }

  private wire(kind: WireKind, message: Envelope, fence?: number): string {
    const wire: WireMessage = {
      v: WIRE_VERSION, kind, origin: message.origin, id: message.id, topic: message.topic, source: message.source, ts: message.ts, payload: message.payload,
      ...(message.correlationId !== undefined ? { correlationId: message.correlationId } : {}),
      ...(fence !== undefined ? { fence } : {}),
    };
    return signFrame(wire, this.options.key);
  }

  private received(frame: string, lane: Lane): void {
    const receipt = this.check.check(frame);
    if (!receipt.ok) return this.refused(receipt.reason, receipt.detail, lane);
    const message = receipt.message;
    switch (message.kind) {
      case 'event':
        return this.deliver(toEnvelope(message));
      case 'request':
        return this.answer(message);
      case 'reply':
      case 'failure':
        return this.settle(message);
      case 'control':
        for (const listener of this.controls.get(message.topic) ?? []) {
          try {
            listener(message.payload, message);
          } catch (err) {
            this.log.error(`handling the bus's ${message.topic} from ${message.origin} failed: ${errorMessage(err)}`);
          }
        }
    }
  }

  private deliver(envelope: Envelope): void {
    const { inbound } = this.options;
    if (inbound) inbound(envelope, (m) => this.options.bus.receive(m));
    else this.options.bus.receive(envelope);
  }

  private answer(message: WireMessage): void {
    const { bus } = this.options;
    if (!bus.hasHandler(message.topic)) return;
    const owner = bus.handlerOwner(message.topic) ?? 'bus';
    const reply = (kind: 'reply' | 'failure', payload: unknown): void => {
      this.requestsAnswered++;
      const wire: WireMessage = { v: WIRE_VERSION, kind, origin: this.origin, id: -this.nextControlId++, topic: message.topic, source: owner, ts: this.options.clock.now(), payload, correlationId: message.id, to: message.origin };
      this.send('direct', signFrame(wire, this.options.key), message.origin);
    };
    bus.answer(toEnvelope(message)).then(
      (answer) => reply('reply', answer),
      (err: unknown) => reply('failure', { error: errorMessage(err), name: err instanceof Error ? err.name : 'Error' }),
    );
  }

  private settle(message: WireMessage): void {
    if (message.to !== this.origin || message.correlationId === undefined) return;
    const pending = this.pending.get(message.correlationId);
    if (!pending) return;
    this.pending.delete(message.correlationId);
    pending.timer.cancel();
    if (message.kind === 'reply') return pending.resolve(message.payload);
    const failure = message.payload as { error?: unknown; name?: unknown };
    const error = new Error(typeof failure.error === 'string' ? failure.error : `request ${message.topic} failed in process ${message.origin}`);
    if (typeof failure.name === 'string') error.name = failure.name;
    pending.reject(error);
  }

  private refused(reason: Refusal, detail: string, lane: Lane): void {
    const count = this.check.refused[reason];
    if (Math.log10(count) % 1 === 0) {
      this.log.warn(`refused a message from the ${lane} lane (${reason}, ${count} so far): ${detail}`);
    }
  }
}

function toEnvelope(message: WireMessage): Envelope {
  return {
    id: message.id, origin: message.origin, topic: message.topic, source: message.source, ts: message.ts, payload: message.payload,
    ...(message.correlationId !== undefined ? { correlationId: message.correlationId } : {}),
  };
}
