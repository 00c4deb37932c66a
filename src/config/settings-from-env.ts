/**
 * Turns the BOT_* environment variables into validated settings. Every BOT_ variable must belong to a key, so
 * a typo (BOT_LOG_LEVL) is an error instead of being ignored; other variables are none of our business.
 * Variables are taken in name order, so the first error reported does not depend on the environment's order.
 */
import { configError, convertAndCheck } from './check-value';
import { closestKey } from './closest-key';
import { LEAF_BY_ENV, type Setting } from './schema-index';

export const ENV_PREFIX = 'BOT_';

/**
 * BOT_ variables read by the bot but not settings: the API token is a secret of the running process that
 * no configuration (file, dump, `config.get`) should ever hold, so the API reads it itself (api/token.ts).
 */
export const NON_SETTING_ENV: ReadonlySet<string> = new Set(['BOT_API_TOKEN', 'BOT_BUS_KEY']);

export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): Setting[] {
  const out: Setting[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && env[name] !== undefined && !NON_SETTING_ENV.has(name))
    .sort();
  for (const name of names) {
    const leaf = LEAF_BY_ENV.get(name);
    if (leaf === undefined) {
      const suggestion = closestKey(name, LEAF_BY_ENV.keys());
      throw configError(
        suggestion !== undefined
          ? `Unknown environment variable ${name}; did you mean ${suggestion}?`
          : `Unknown environment variable ${name}: no setting reads it, and ${ENV_PREFIX} variables must name one, e.g. BOT_LOG_LEVEL for log.level.`,
      );
    }
    const value = convertAndCheck(leaf, env[name] as string, `from environment variable ${name}`);
    out.push({ key: leaf.key, value });
  }
  return out;
}
