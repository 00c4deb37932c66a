import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { WireMessage } from './wire-message';

/** Hex HMAC-SHA256: 64 characters ahead of the body. */
const SIGNATURE_LENGTH = 64;

/**
 * A message as it travels: the HMAC-SHA256 of its canonical JSON (key: BOT_BUS_KEY), then that JSON. The
 * receiver checks the signature over the bytes it got before it parses anything.
 */
export function signFrame(message: WireMessage, key: Buffer): string {
  const body = canonicalJson(message);
  return sign(body, key) + body;
}

export type OpenedFrame = { ok: true; body: string } | { ok: false; reason: 'signature' };

/** The frame's body when its signature is right for `key`. */
export function openFrame(frame: string, key: Buffer): OpenedFrame {
  if (frame.length <= SIGNATURE_LENGTH) return { ok: false, reason: 'signature' };
  const body = frame.slice(SIGNATURE_LENGTH);
  const given = Buffer.from(frame.slice(0, SIGNATURE_LENGTH), 'utf8');
  const expected = Buffer.from(sign(body, key), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  return { ok: true, body };
}

function sign(body: string, key: Buffer): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/** Shortest BOT_BUS_KEY accepted: a guessable key would let anyone on the Redis forge orders. */
export const MIN_BUS_KEY_LENGTH = 32;

/** BOT_BUS_KEY as a key, or a sentence saying what is wrong with it (never the key itself). */
export function busKey(env: Readonly<Record<string, string | undefined>>): Buffer | string {
  const value = env['BOT_BUS_KEY'];
  if (value === undefined || value === '') return 'BOT_BUS_KEY is not set: every process of a bot spread over Redis signs its messages with it; set the same secret of at least 32 characters in each';
  if (value.length < MIN_BUS_KEY_LENGTH) return `BOT_BUS_KEY must be at least ${MIN_BUS_KEY_LENGTH} characters (it has ${value.length}); generate one with: openssl rand -hex 32`;
  return Buffer.from(value, 'utf8');
}
