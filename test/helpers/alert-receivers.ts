import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** When the request arrived, in arrival order. */
  seq: number;
}

/**
 * A local HTTP receiver for alert channels (a webhook, a fake Telegram Bot API) on 127.0.0.1, port 0.
 * `answer` decides the reply; `hold` keeps every response open until `release()`.
 */
export class AlertReceiver {
  readonly received: Received[] = [];
  hold = false;
  answer: (request: Received) => { status: number; body: string } = () => ({ status: 200, body: '{"ok":true}' });
  private readonly held: Array<() => void> = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Received = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), seq: this.received.length };
      this.received.push(request);
      const reply = (): void => {
        const { status, body } = this.answer(request);
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      };
      if (this.hold) this.held.push(reply);
      else reply();
      for (const waiter of this.waiters.filter((w) => this.received.length >= w.count)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${count} requests arrived`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Responses still held open. */
  get holding(): number {
    return this.held.length;
  }

  release(): void {
    this.hold = false;
    for (const reply of this.held.splice(0)) reply();
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A URL nothing listens on: a port taken and given back. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
