/**
 * The WebSocket at /api/live. A browser cannot put an Authorization header on a WebSocket, so the socket
 * opens without one and its first message must be `{"type":"auth","token":"…"}` within AUTH_TIMEOUT_MS;
 * a wrong token, or none in time, closes it with code 4401 (and counts as a failed login). Then the client
 * gets `{"type":"ready"}` and every LiveEvent as JSON, one per message.
 *
 * The bot calls the listener on its own thread, so pushing must never wait: each event is serialized once
 * and handed to every socket, and a client whose unsent data passes MAX_BUFFERED_BYTES is dropped.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock } from '../core/clock';
import type { Logger } from '../logging/logger';
import type { FailedLogins, TokenCheck } from './auth';
import type { BotControl, LiveEvent } from './bot-control';

export const AUTH_TIMEOUT_MS = 5_000;
export const MAX_BUFFERED_BYTES = 1 << 20;
/** The auth message is the only thing a client sends. */
export const MAX_CLIENT_MESSAGE_BYTES = 4_096;
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_TOO_MANY_FAILURES = 4429;

const OPEN = 1;

/** The authenticated sockets, and the one subscription to the bot's events they share while there are any. */
export class LiveHub {
  private readonly sockets = new Set<WebSocket>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly control: BotControl,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.sockets.size;
  }

  add(socket: WebSocket): void {
    this.sockets.add(socket);
    this.unsubscribe ??= this.control.onEvent((event) => this.broadcast(event));
  }

  remove(socket: WebSocket): void {
    if (!this.sockets.delete(socket) || this.sockets.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  close(): void {
    for (const socket of [...this.sockets]) socket.close(1001, 'the bot is stopping');
    this.sockets.clear();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private broadcast(event: LiveEvent): void {
    const text = JSON.stringify(event);
    for (const socket of this.sockets) {
      if (socket.readyState !== OPEN) continue;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.logger.warn(`api: dropped a live client that fell more than ${MAX_BUFFERED_BYTES} bytes behind`);
        socket.terminate();
        this.remove(socket);
        continue;
      }
      socket.send(text);
    }
  }
}

export interface LiveOptions {
  hub: LiveHub;
  check: TokenCheck;
  failures: FailedLogins;
  clock: Clock;
}

/** Whether a client's first message is an auth message with the right token. */
export function authMessageMatches(data: unknown, check: TokenCheck): boolean {
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    return false;
  }
  if (typeof message !== 'object' || message === null) return false;
  const { type, token } = message as { type?: unknown; token?: unknown };
  return type === 'auth' && typeof token === 'string' && check.matches(token);
}

export function registerLive(app: FastifyInstance, options: LiveOptions): void {
  const { hub, check, failures, clock } = options;
  app.get('/api/live', { websocket: true, config: { public: true } }, (socket, request) => {
    const address = request.ip;
    if (failures.blockedForMs(address) > 0) {
      socket.close(CLOSE_TOO_MANY_FAILURES, 'too many failed logins');
      return;
    }
    let authenticated = false;
    const timer = clock.setTimeout(
      () => {
        if (!authenticated) socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
      },
      AUTH_TIMEOUT_MS,
      { keepAlive: false },
    );
    socket.on('message', (data) => {
      if (authenticated) return;
      timer.cancel();
      if (!authMessageMatches(data, check)) {
        failures.record(address);
        socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        return;
      }
      authenticated = true;
      socket.send(JSON.stringify({ type: 'ready' }));
      hub.add(socket);
    });
    socket.on('close', () => {
      timer.cancel();
      hub.remove(socket);
    });
    socket.on('error', () => socket.terminate());
  });
}
