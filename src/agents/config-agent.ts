import type { LoadedConfig } from '../config/load-config';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import { applyReloadable, diffConfig } from '../config/diff-config';
import { redactConfig } from '../config/redact-config';
import type { BotConfig } from '../config/schema';
import type { FileWatcher } from '../config/watch-file';
import { closestKey } from '../config/closest-key';
import { getPath } from '../config/key-path';
import { LEAVES } from '../config/schema-index';
import { RELOADABLE_KEYS, SENSITIVE_KEYS } from '../config/schema';
import { ControlRefused, errorMessage } from '../core/errors';
import { BaseAgent, type AgentContext } from './base-agent';

export interface ConfigAgentOptions {
  loaded: LoadedConfig;
  /**
   * Reads every source again (same environment and flags, files as they are now), with `overrides` (dotted
   * key -> value, an operator's `config.set`) over them all. Throws ConfigError.
   */
  reload: (overrides?: Readonly<Record<string, unknown>>) => LoadedConfig;
  /** Watches the config files when `config.watch` is on; absent, the files are not watched. */
  watchFile?: FileWatcher;
}

/**
 * Serves the frozen, validated configuration (`config.get`), its secrets redacted: nothing on the bus, and
 * so nothing a tap, a journal or a dashboard sees, carries them. Applies reloads: when a config file
 * changes, reloadable keys take effect and are announced as `config.changed`; any other changed key only
 * gets a warning that a restart is needed.
 */
export class ConfigAgent extends BaseAgent {
  private current: BotConfig;
  /** `current` as served: secrets redacted. */
  private served: BotConfig;
  /** Keys an operator set (`config.set`): they stay over the files through later reloads. */
  private overrides: Record<string, unknown> = {};

  constructor(context: AgentContext, private readonly options: ConfigAgentOptions) {
    super({ name: 'config', publishes: TOPIC_OWNERS.config }, context);
    this.current = options.loaded.config;
    this.served = redactConfig(this.current);
  }

  protected onStart(): void {
    this.handle('config.get', () => this.served);
    this.handle('config.set', ({ payload }) => this.set(payload.key, payload.value, payload.by));
    if (this.current.config.watch && this.options.watchFile) {
      for (const file of this.options.loaded.files) {
        this.onRelease(this.options.watchFile(file, () => this.reload()));
      }
    }
  }

  /** Re-reads the sources; a bad file is rejected with a warning and the running configuration stays. */
  reload(): void {
    let next: LoadedConfig;
    try {
      next = this.options.reload(this.overrides);
    } catch (err) {
      this.log.warn(`config reload rejected, keeping the running configuration: ${errorMessage(err)}`);
      return;
    }
    this.apply(next);
  }

  /**
   * An operator's change of one reloadable key, validated as a file's value would be (the same loader), then
   * applied as a reload is. Anything else is refused in one sentence and changes nothing.
   */
  private set(key: string, value: unknown, by: string): { detail: string } {
    if (!LEAVES.has(key)) {
      const near = closestKey(key, LEAVES.keys());
      throw new ControlRefused(`${key} is not a configuration key${near !== undefined ? ` (did you mean ${near}?)` : ''}`);
    }
    if (SENSITIVE_KEYS.has(key)) throw new ControlRefused(`${key} is a secret: it is set in the environment only`);
    if (!RELOADABLE_KEYS.has(key)) throw new ControlRefused(`${key} is not reloadable: change it in the config file and restart the bot`);
    const overrides = { ...this.overrides, [key]: value };
    let next: LoadedConfig;
    try {
      next = this.options.reload(overrides);
    } catch (err) {
      throw new ControlRefused(errorMessage(err));
    }
    this.overrides = overrides;
    const before = JSON.stringify(getPath(this.current, key));
    this.apply(next);
    const detail = `${key} set to ${JSON.stringify(getPath(this.current, key))} (was ${before})`;
    this.log.info(`operator (${by}): ${detail}`);
    this.publish('control.applied', { action: 'set-config', detail, by });
    return { detail };
  }

  private apply(next: LoadedConfig): void {
    const changes = diffConfig(this.current, next.config);
    if (changes.length === 0) return;
    const { config, applied, needRestart } = applyReloadable(this.current, changes);
    for (const change of needRestart) {
      this.log.warn(`${change.key} changed in the configuration; restart the bot to apply it`);
    }
    if (applied.length === 0) return;
    this.current = config;
    this.served = redactConfig(config);
    this.log.info(`configuration reloaded: ${applied.map((c) => `${c.key}=${JSON.stringify(c.to)}`).join(', ')}`);
    this.publish('config.changed', { applied, needRestart: needRestart.map((c) => c.key) });
  }
}
