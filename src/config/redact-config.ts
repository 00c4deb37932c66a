import { deepFreeze } from '../core/deep-freeze';
import { REDACTED } from '../logging/redactor';
import { getPath, setPath } from './key-path';
import { SENSITIVE_KEYS, type BotConfig } from './schema';

/**
 * The configuration as it may be shown or sent anywhere: every sensitive key that holds a value reads
 * REDACTED, an empty one stays empty (so "is a key set?" still has its answer). Deep-frozen. The real
 * values stay with the composition root, which hands them only to what signs exchange requests.
 */
export function redactConfig(config: BotConfig): BotConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const key of SENSITIVE_KEYS) {
    const value = getPath(copy, key);
    if (typeof value === 'string' && value !== '') setPath(copy, key, REDACTED);
  }
  return deepFreeze(copy as unknown as BotConfig);
}
