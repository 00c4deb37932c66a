import { BaseError } from 'ccxt';

const REDACTED = '<redacted>';

/**
 * ccxt error messages can carry the request: a signed GET's URL holds `signature=...` (and, depending on the
 * exchange, the key), a few errors echo headers (X-MBX-APIKEY), and a user-stream URL holds the listen key,
 * which grants reading the account's orders. Each pattern keeps its name and hides the value.
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/(signature=)[^&\s"',}]+/gi, `$1${REDACTED}`],
  [/(x-mbx-apikey["']?\s*[:=]\s*["']?)[^"'\s,}&]+/gi, `$1${REDACTED}`],
  [/((?:api[-_]?key|secret|password|listen[-_]?key)["']?\s*[:=]\s*["']?)[^"'\s,}&]+/gi, `$1${REDACTED}`],
  // Binance user-stream URLs: wss://stream.binance.com:9443/ws/<listenKey>
  [/(\/ws\/)[A-Za-z0-9]{32,}/g, `$1${REDACTED}`],
];

/** `text` with signatures, API-key headers, listen keys and every literal secret replaced. */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  // Literal secrets first, raw and URL-encoded, before patterns could split them.
  for (const secret of secrets) {
    if (secret === undefined || secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** "Name: message" of any thrown value, safe to log or to put in a denial. */
export function redactCcxtError(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  const text = error instanceof Error ? `${error.name || error.constructor.name}: ${error.message}` : String(error);
  return redactText(text, secrets);
}

/**
 * The same error with its message redacted, for errors that leave the broker: a ccxt error keeps its class
 * (so `instanceof` still sorts it; their constructors take just the message), anything else becomes an
 * Error with the same name. The stack goes, as it repeats the message; no `cause`, which would carry the
 * original text along.
 */
export function redactError(error: unknown, secrets: readonly (string | undefined)[] = []): Error {
  const message = redactText(error instanceof Error ? error.message : String(error), secrets);
  const copy = error instanceof BaseError ? new (error.constructor as new (message: string) => Error)(message) : new Error(message);
  if (error instanceof Error) copy.name = error.name;
  copy.stack = `${copy.name}: ${message}`;
  return copy;
}
