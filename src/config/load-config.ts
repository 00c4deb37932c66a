/**
 * Loads the configuration from its sources, later ones winning:
 *   schema defaults < defaultFile (skipped when missing) < defaults < configFile (must exist) < BOT_* environment
 *   < flags.
 * Each source is checked on its own before it is merged, so a failure is a one-sentence ConfigError that
 * names the source, the key and the bad value (never the value of a secret). Secrets come only from the
 * environment. Nothing here reads process.env or process.argv.
 *
 * convict holds the defaults and does a last strict validation of the merged result. It is given
 * `{ env: {}, args: [] }` and only `set()` calls, never `load()`: its own environment import coerces loosely
 * ("12abc" -> 12, "no" -> true) and is re-run by every load(), which would put the environment back over
 * the flags; its load() also coerces strings found in files.
 */
import convict from 'convict';
import { configError } from './check-value';
import { deepFreeze } from '../core/deep-freeze';
import { getPath } from './key-path';
import { readJsonFile, type JsonFile } from './read-json-file';
import { configSchema, SENSITIVE_KEYS, type BotConfig } from './schema';
import type { Setting } from './schema-index';
import { settingsFromEnv } from './settings-from-env';
import { settingsFromFile } from './settings-from-file';
import { settingsFromFlags } from './settings-from-flags';

export interface LoadConfigOptions {
  /** Project defaults, e.g. config/default.json; skipped silently when it does not exist. */
  defaultFile?: string;
  /** The user's file (--config); it must exist. */
  configFile?: string;
  /** Usually process.env, passed in by the caller. Only BOT_* variables are read. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Dotted key -> a command's own default (a backtest's trade.minNotional): it overrides the project's
   * defaultFile, written for paper trading, but what the user's file or environment says wins over it.
   */
  defaults?: Readonly<Record<string, unknown>>;
  /** Dotted key -> value from the command line; undefined values are ignored. */
  flags?: Readonly<Record<string, unknown>>;
  /** Dotted key -> the option that set it (e.g. '--timeframe'), so an error names what the user typed. */
  flagNames?: Readonly<Record<string, string>>;
}

export interface LoadedConfig {
  /** Deep-frozen. */
  config: BotConfig;
  /** The non-empty values of the sensitive keys, for the log redactor. */
  secrets: string[];
  /** Absolute paths of the files actually read, in the order they were read. */
  files: string[];
}

export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const projectFile = options.defaultFile !== undefined ? readJsonFile(options.defaultFile, { optional: true }) : undefined;
  const userFile = options.configFile !== undefined ? readJsonFile(options.configFile, { optional: false }) : undefined;
  // The same file given twice (e.g. --config config/default.json) is read once, as the user's: given with
  // --config, what it says is said on purpose.
  const defaultsFile = projectFile?.absolutePath === userFile?.absolutePath ? undefined : projectFile;
  const files = [defaultsFile, userFile].filter((f): f is JsonFile => f !== undefined);

  // Check every source before merging anything, so the first error found is reported whatever its layer.
  const layers: Setting[][] = [
    ...(defaultsFile ? [settingsFromFile(defaultsFile.data, defaultsFile.givenPath)] : []),
    settingsFromFlags(options.defaults ?? {}, options.flagNames),
    ...(userFile ? [settingsFromFile(userFile.data, userFile.givenPath)] : []),
    settingsFromEnv(options.env),
    settingsFromFlags(options.flags ?? {}, options.flagNames),
  ];

  const merged = convict<BotConfig>(configSchema, { env: {}, args: [] });
  for (const layer of layers) {
    for (const { key, value } of layer) merged.set(key, value);
  }
  try {
    merged.validate({ allowed: 'strict' });
  } catch (err) {
    // Unreachable while every source is checked above; kept so a gap there cannot go unnoticed.
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    throw configError(`The merged configuration is invalid: ${first}.`);
  }

  const config = deepFreeze(merged.getProperties());
  const secrets = [
    ...new Set([...SENSITIVE_KEYS].map((key) => getPath(config, key)).filter((v): v is string => typeof v === 'string' && v !== '')),
  ];
  return { config, secrets, files: files.map((f) => f.absolutePath) };
}
