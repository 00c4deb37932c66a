import { Redis, type RedisOptions } from 'ioredis';
import { errorMessage } from '../../core/errors';
import type { Lane, Transport } from '../transport';
import { describeRedisUrl, redisConnection } from './redis-url';
import { compareStreamIds, laterStreamId } from './stream-id';

export interface RedisTransportOptions {
  /** bus.redis.url: redis://[user@]host:port, rediss:// for TLS (the password is `password`). */
  url: string;
  /** bus.redis.password (BOT_BUS_REDIS_PASSWORD); a password in the URL is used when this is empty. */
  password?: string;
  /** Prefix of every key and channel, so several bots can share one Redis (bus.redis.prefix). */
  prefix: string;
  /** This process's stable name (--node): its consumer group is named after it. */
  node: string;
  /** Entries the stream keeps, about (XADD MAXLEN ~). */
  streamLength?: number;
  /** Broadcast frames held for the stream to catch up, at most; the oldest are dropped past it. */
  maxHeld?: number;
  /** How long a connection may take at start before the start fails. */
  connectTimeoutMs?: number;
  /** Told when a connection drops or comes back, and when a read fails. */
  onNotice?: (level: 'info' | 'warn', message: string) => void;
}

interface Held {
  after: string;
  frame: string;
  lane: Lane;
}

const BLOCK_MS = 1000;
const READ_COUNT = 256;

/**
 * The bus across processes over one Redis (ioredis). Three connections: commands (XADD, PUBLISH, XACK),
 * subscriptions (the broadcast, requests and this process's direct channel) and the blocking stream reader.
 *
 * The reliable lane is one stream for the whole bot, read by every process through its own consumer group,
 * so all processes see its frames in the same order; entries are acknowledged once handed in, and after a
 * reconnect (a Redis restart: the stream and groups are kept by its append-only file) the reader first
 * re-reads what it was given but had not acknowledged, then goes on. A process's group is made at the end of
 * the stream when it starts: a new process (or a restarted one, which rebuilds from its journal) does not
 * replay the past; its earlier incarnations' groups are removed.
 *
 * Pub/sub frames carry the newest stream id their sender had written or read, and are held here until the
 * reader has passed it: a market period published after the fills it waited for is never handed in before them.
 */
export class RedisTransport implements Transport {
  readonly description: string;
  private cmd: Redis | undefined;
  private sub: Redis | undefined;
  private reader: Redis | undefined;
  private origin = '';
  private receive: (frame: string, lane: Lane) => void = () => undefined;
  private closed = false;
  private reading: Promise<void> | undefined;
  /** The newest stream entry handed in (or skipped as our own). */
  private cursor = '0-0';
  /** The newest entry this process added. */
  private added = '0-0';
  private addsInFlight = 0;
  private readonly outbox: Array<{ lane: Lane; frame: string; to?: string }> = [];
  private readonly held: Held[] = [];
  private readPending = true;
  private counters = { framesIn: 0, framesOut: 0, reconnects: 0, broadcastHeld: 0, broadcastDropped: 0, readErrors: 0, acked: 0 };
  private readonly keys: { stream: string; broadcast: string; requests: string; direct: (origin: string) => string };
  private group = '';
  private readonly connectionListeners: Array<(connected: boolean) => void> = [];
  /** Connections down now; the bus is reachable when none is. */
  private readonly down = new Set<string>();

  constructor(private readonly options: RedisTransportOptions) {
    this.description = describeRedisUrl(options.url);
    const p = options.prefix;
    this.keys = { stream: `${p}:bus`, broadcast: `${p}:broadcast`, requests: `${p}:requests`, direct: (origin) => `${p}:to:${origin}` };
  }

  async connect(origin: string, receive: (frame: string, lane: Lane) => void): Promise<void> {
    this.origin = origin;
    this.receive = receive;
    this.group = `${this.options.node}:${origin}`;
    this.cmd = await this.open('commands');
    this.sub = await this.open('subscriptions');
    this.reader = await this.open('stream reader');
    await this.makeGroup();
    this.sub.on('message', (channel: string, message: string) => this.onPublished(channel, message));
    await this.sub.subscribe(this.keys.broadcast, this.keys.requests, this.keys.direct(origin));
    this.reading = this.readLoop();
  }

  send(lane: Lane, frame: string, to?: string): void {
    if (this.closed || this.cmd === undefined) return;
    this.counters.framesOut++;
    if (lane === 'reliable') return this.add(frame);
    // Behind our own entries still on their way: the frame must name them as what it follows.
    if (this.addsInFlight > 0) this.outbox.push({ lane, frame, ...(to !== undefined ? { to } : {}) });
    else this.publish(lane, frame, to);
  }

  async flush(): Promise<void> {
    while (this.addsInFlight > 0 || this.outbox.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.cmd?.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { cmd, sub, reader } = this;
    try {
      await cmd?.xgroup('DESTROY', this.keys.stream, this.group);
    } catch {
      // Gone already, or Redis is down: the next start of this node removes it.
    }
    reader?.disconnect();
    await this.reading?.catch(() => undefined);
    await Promise.all([cmd?.quit(), sub?.quit()].map((p) => p?.catch(() => undefined)));
  }

  onConnection(listener: (connected: boolean) => void): void {
    this.connectionListeners.push(listener);
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.counters, held: this.held.length };
  }

  private async open(role: string): Promise<Redis> {
    const options: RedisOptions = {
      lazyConnect: true,
      // Commands wait for a reconnect instead of failing: a frame queued while Redis restarts still goes.
      maxRetriesPerRequest: null,
      connectTimeout: this.options.connectTimeoutMs ?? 5000,
      connectionName: `${this.options.node}:${role}`,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    };
    const { url, ...credentials } = redisConnection(this.options.url, this.options.password ?? '');
    const client = new Redis(url, { ...options, ...credentials });
    let down = false;
    let lastError: unknown;
    client.on('error', (err: unknown) => {
      lastError = err;
      if (!down && !this.closed && client.status !== 'connecting') this.options.onNotice?.('warn', `Redis ${role} connection to ${this.description}: ${errorMessage(err)}`);
    });
    client.on('reconnecting', () => {
      if (!down && !this.closed) this.options.onNotice?.('warn', `Redis ${role} connection to ${this.description} dropped; reconnecting`);
      down = true;
      this.connection(role, false);
    });
    client.on('ready', () => {
      if (down && !this.closed) {
        this.counters.reconnects++;
        this.options.onNotice?.('info', `Redis ${role} connection to ${this.description} is back`);
      }
      down = false;
      this.connection(role, true);
    });
    try {
      await client.connect();
      await client.ping();
    } catch (err) {
      client.disconnect();
      throw new Error(connectProblem(this.description, lastError ?? err));
    }
    return client;
  }

  private connection(role: string, up: boolean): void {
    const wasDown = this.down.size > 0;
    if (up) this.down.delete(role);
    else this.down.add(role);
    const isDown = this.down.size > 0;
    if (wasDown !== isDown && !this.closed) for (const listener of this.connectionListeners) listener(!isDown);
  }

  private async makeGroup(): Promise<void> {
    const cmd = this.cmd!;
    await cmd.xgroup('CREATE', this.keys.stream, this.group, '$', 'MKSTREAM');
    // Frames before our group's start are not ours to wait for.
    const info = (await cmd.xinfo('STREAM', this.keys.stream)) as unknown[];
    const at = info.indexOf('last-generated-id');
    if (at >= 0) this.cursor = String(info[at + 1]);
    const groups = (await cmd.xinfo('GROUPS', this.keys.stream)) as unknown[][];
    for (const group of groups) {
      const name = String(group[group.indexOf('name') + 1]);
      if (name !== this.group && name.startsWith(`${this.options.node}:`)) await cmd.xgroup('DESTROY', this.keys.stream, name);
    }
  }

  private add(frame: string): void {
    this.addsInFlight++;
    const length = this.options.streamLength ?? 100_000;
    this.cmd!.xadd(this.keys.stream, 'MAXLEN', '~', length, '*', 'o', this.origin, 'f', frame).then(
      (id) => {
        if (id) this.added = laterStreamId(this.added, id);
        this.added_();
      },
      (err: unknown) => {
        this.options.onNotice?.('warn', `a message could not be added to the stream: ${errorMessage(err)}`);
        this.added_();
      },
    );
  }

  private added_(): void {
    this.addsInFlight--;
    if (this.addsInFlight > 0) return;
    const waiting = this.outbox.splice(0);
    for (const w of waiting) this.publish(w.lane, w.frame, w.to);
  }

  private publish(lane: Lane, frame: string, to?: string): void {
    const channel = lane === 'broadcast' ? this.keys.broadcast : lane === 'requests' ? this.keys.requests : this.keys.direct(to ?? '');
    const after = laterStreamId(this.added, this.cursor);
    this.cmd!.publish(channel, `${after}\n${this.origin}\n${frame}`).catch((err: unknown) => {
      this.options.onNotice?.('warn', `a ${lane} message could not be published: ${errorMessage(err)}`);
    });
  }

  private onPublished(channel: string, message: string): void {
    const first = message.indexOf('\n');
    const second = message.indexOf('\n', first + 1);
    if (first < 0 || second < 0) return this.hand(message, 'broadcast');
    if (message.slice(first + 1, second) === this.origin) return;
    const after = message.slice(0, first);
    const frame = message.slice(second + 1);
    const lane: Lane = channel === this.keys.broadcast ? 'broadcast' : channel === this.keys.requests ? 'requests' : 'direct';
    if (this.held.length === 0 && compareStreamIds(after, this.cursor) <= 0) return this.hand(frame, lane);
    this.counters.broadcastHeld++;
    this.held.push({ after, frame, lane });
    if (this.held.length > (this.options.maxHeld ?? 10_000)) {
      this.held.shift();
      this.counters.broadcastDropped++;
    }
  }

  private releaseHeld(): void {
    while (this.held.length > 0 && compareStreamIds(this.held[0]!.after, this.cursor) <= 0) {
      const next = this.held.shift()!;
      this.hand(next.frame, next.lane);
    }
  }

  private hand(frame: string, lane: Lane): void {
    this.counters.framesIn++;
    this.receive(frame, lane);
  }

  private async readLoop(): Promise<void> {
    const reader = this.reader!;
    while (!this.closed) {
      try {
        // After a reconnect, what we were given and did not acknowledge comes first ('0'), then new entries.
        const from = this.readPending ? '0' : '>';
        const reply = (await reader.xreadgroup('GROUP', this.group, 'c', 'COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', this.keys.stream, from)) as
          | Array<[string, Array<[string, string[]]>]>
          | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (this.readPending && entries.length === 0) this.readPending = false;
        if (entries.length > 0) this.take(entries);
      } catch (err) {
        if (this.closed) return;
        this.counters.readErrors++;
        this.readPending = true;
        const message = errorMessage(err);
        if (message.includes('NOGROUP')) {
          // The stream or our group is gone (a Redis restarted without its data): start again at its end.
          this.options.onNotice?.('warn', `the bus stream lost this process's group (${message}); reading on from its end`);
          await this.makeGroup().catch(() => undefined);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  private take(entries: Array<[string, string[]]>): void {
    const ids: string[] = [];
    for (const [id, fields] of entries) {
      ids.push(id);
      // Handed in before (its acknowledgement was lost in a reconnect): acknowledged again, not delivered twice.
      if (compareStreamIds(id, this.cursor) <= 0) continue;
      this.cursor = id;
      const origin = field(fields, 'o');
      const frame = field(fields, 'f');
      if (origin === this.origin || frame === undefined) continue;
      this.hand(frame, 'reliable');
    }
    this.counters.acked += ids.length;
    this.cmd!.xack(this.keys.stream, this.group, ...ids).catch(() => undefined);
    this.releaseHeld();
  }
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** One sentence for a start that could not reach Redis, naming what to check; the URL's secrets left out. */
function connectProblem(where: string, err: unknown): string {
  const message = errorMessage(err);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return `Redis at ${where} refused this process's credentials (${message.split('\n')[0]}): set its password in BOT_BUS_REDIS_PASSWORD`;
  }
  return `cannot reach Redis at ${where} (${message}): check bus.redis.url and that redis-server is running`;
}
