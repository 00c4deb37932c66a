import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock';
import type { Logger } from '../logging/logger';

const WINDOW_MS = 60_000;
/** Addresses remembered at most; past it the oldest windows are forgotten first, so a flood cannot grow memory. */
const MAX_CLIENTS = 10_000;

/** The only thing a request without the right token is told. */
export const UNAUTHORIZED = Object.freeze({ error: 'unauthorized' });

/**
 * Compares a presented token with the expected one in constant time: both are hashed first, so neither the
 * content nor the length of the real token leaks through how long the comparison takes.
 */
export class TokenCheck {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  matches(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    return timingSafeEqual(digest(candidate), this.expected);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header or none. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}

interface Window {
  start: number;
  failures: number;
}

/**
 * Failed logins per client address in a fixed one-minute window, on the injected clock. A small counter of
 * our own rather than @fastify/rate-limit: that plugin counts every request before the handler knows whether
 * the token was right, while this must count only failures and then refuse everything from the address
 * (a right token included, or a 429 turning into a 200 would still tell a guesser when it hit).
 */
export class FailedLogins {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly perMinute: number,
    private readonly logger: Logger,
  ) {}

  /** How long the address is still refused, in ms; 0 when it may try. */
  blockedForMs(address: string): number {
    const window = this.windows.get(address);
    if (window === undefined) return 0;
    const left = window.start + WINDOW_MS - this.clock.now();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return window.failures >= this.perMinute ? left : 0;
  }

  record(address: string): void {
    const now = this.clock.now();
    let window = this.windows.get(address);
    if (window === undefined || now - window.start >= WINDOW_MS) {
      if (window !== undefined) this.windows.delete(address);
      if (this.windows.size >= MAX_CLIENTS) this.forgetOldest();
      window = { start: now, failures: 0 };
      this.windows.set(address, window);
    }
    window.failures++;
    if (window.failures === this.perMinute) {
      this.logger.warn(`api: ${this.perMinute} failed logins from ${address} within a minute; refusing it until the minute is over`);
    }
  }

  private forgetOldest(): void {
    // Insertion order is start order (a renewed window is re-inserted), so the first key is the oldest.
    const oldest = this.windows.keys().next();
    if (oldest.done !== true) this.windows.delete(oldest.value);
  }
}

export function tooManyFailures(reply: FastifyReply, blockedMs: number): FastifyReply {
  const seconds = Math.max(1, Math.ceil(blockedMs / 1000));
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send({ error: `too many failed logins from this address; try again in ${seconds} s` });
}

/** Marks a route that needs no Authorization header: the dashboard's files, and the WebSocket (it authenticates by message). */
export interface RouteAccess {
  public?: boolean;
}

/**
 * The onRequest hook of every route not marked public: a blocked address gets 429, a missing or wrong
 * token 401 with `{"error":"unauthorized"}` and nothing else. Unknown routes (404) are left alone, so a
 * browser's automatic /favicon.ico does not count as a failed login.
 */
export function authHook(check: TokenCheck, failures: FailedLogins) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.is404 || (request.routeOptions.config as RouteAccess).public === true) return;
    const address = request.ip;
    const blocked = failures.blockedForMs(address);
    if (blocked > 0) {
      await tooManyFailures(reply, blocked);
      return;
    }
    if (check.matches(bearerToken(request.headers.authorization))) return;
    failures.record(address);
    await reply.code(401).send(UNAUTHORIZED);
  };
}
