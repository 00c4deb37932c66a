/**
 * Checks one value against its key's format and words the failure as the one-sentence ConfigError every
 * source uses: "Invalid value <value> for <key> <where>: <reason>." The value is left out for sensitive keys.
 */
import { ConfigError } from '../core/errors';
import { FormatError } from './formats';
import type { LeafInfo } from './schema-index';

const MAX_VALUE_CHARS = 80;

/** A value as it appears in a message: JSON where possible, on one line, cut to a readable length. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) {
    text = String(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** A ConfigError whose message is guaranteed to be on one line. */
export function configError(message: string): ConfigError {
  return new ConfigError(message.replace(/\s*[\r\n]+\s*/g, ' '));
}

export function invalidValueError(key: string, value: unknown, where: string, reason: string, sensitive: boolean): ConfigError {
  const shown = sensitive ? '' : ` ${describeValue(value)}`;
  return configError(`Invalid value${shown} for ${key} ${where}: ${reason}.`);
}

function rethrowFormatError(err: unknown, leaf: LeafInfo, value: unknown, where: string): never {
  if (!(err instanceof FormatError)) throw err;
  const nested = err.subPath !== undefined;
  throw invalidValueError(nested ? (err.subPath as string) : leaf.key, nested ? err.subValue : value, where, err.message, leaf.item.sensitive === true);
}

/**
 * Validates a value for a key. `where` completes "Invalid value X for key ...", e.g. "in config file x.json"
 * or "from environment variable BOT_LOG_LEVEL".
 */
export function checkValue(leaf: LeafInfo, value: unknown, where: string): void {
  try {
    leaf.format.validate(value, leaf.item);
  } catch (err) {
    rethrowFormatError(err, leaf, value, where);
  }
}

/** Converts the text of an environment variable or string flag to the key's type, then validates it. */
export function convertAndCheck(leaf: LeafInfo, raw: string, where: string): unknown {
  let value: unknown;
  try {
    value = leaf.format.fromString(raw);
  } catch (err) {
    rethrowFormatError(err, leaf, raw, where);
  }
  checkValue(leaf, value, where);
  return value;
}
