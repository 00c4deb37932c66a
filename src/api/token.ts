import { randomBytes } from 'node:crypto';
import { ConfigError } from '../core/errors';

export interface ApiToken {
  token: string;
  /** True when BOT_API_TOKEN was not set: the caller prints the token once, at start, and nowhere else. */
  generated: boolean;
}

/** Shortest token accepted from BOT_API_TOKEN: a guessable one would make the login rate limit the only defence. */
export const MIN_TOKEN_LENGTH = 16;
const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * The bearer token every API request needs: BOT_API_TOKEN when set, else 24 random bytes (base64url, 32
 * characters) for this run only. The token is deliberately not a config key, so no config dump holds it.
 */
export function apiToken(env: Readonly<Record<string, string | undefined>>): ApiToken {
  const fromEnv = env['BOT_API_TOKEN'];
  if (fromEnv === undefined || fromEnv === '') return { token: randomBytes(24).toString('base64url'), generated: true };
  if (fromEnv.length < MIN_TOKEN_LENGTH || !PRINTABLE.test(fromEnv)) {
    throw new ConfigError(
      `BOT_API_TOKEN must be at least ${MIN_TOKEN_LENGTH} printable characters without spaces (it has ${fromEnv.length}); unset it to have one generated at start.`,
    );
  }
  return { token: fromEnv, generated: false };
}
