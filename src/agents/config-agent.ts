import type { LoadedConfig } from '../config/load-config';
import { applyReloadable, diffConfig } from '../config/diff-config';
import { redactConfig } from '../config/redact-config';
import type { BotConfig } from '../config/schema';
import type { FileWatcher } from '../config/watch-file';
import { errorMessage } from '../core/errors';
import { BaseAgent, type AgentContext } from './base-agent';

export interface ConfigAgentOptions {
  loaded: LoadedConfig;
  /** Reads every source again (same environment and flags, files as they are now). Throws ConfigError. */
  reload: () => LoadedConfig;
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

  constructor(context: AgentContext, private readonly options: ConfigAgentOptions) {
    super({ name: 'config', publishes: ['config.get', 'config.changed'] }, context);
    this.current = options.loaded.config;
    this.served = redactConfig(this.current);
  }

  protected onStart(): void {
    this.handle('config.get', () => this.served);
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
      next = this.options.reload();
    } catch (err) {
      this.log.warn(`config reload rejected, keeping the running configuration: ${errorMessage(err)}`);
      return;
    }
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
