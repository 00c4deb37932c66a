import type { ConfigChanged } from '../config/diff-config';
import type { BotConfig } from '../config/schema';
import type { Envelope } from '../bus/envelope';
import { BaseAgent } from './base-agent';

/**
 * An agent that works from the running configuration: it asks the ConfigAgent for it on start and again
 * whenever a reload changes it, so it never reads files or the environment itself.
 */
export abstract class ConfiguredAgent extends BaseAgent {
  private current: BotConfig | undefined;

  protected get config(): BotConfig {
    if (!this.current) throw new Error(`agent ${this.name} read its configuration before it started`);
    return this.current;
  }

  protected override async onStart(): Promise<void> {
    this.current = await this.request('config.get', {});
    this.subscribe('config.changed', async (message: Envelope<'config.changed', ConfigChanged>) => {
      this.current = await this.request('config.get', {});
      this.onConfigChanged(message.payload);
    });
    await this.onConfigured();
  }

  /** The agent's own start-up work, with `this.config` available. */
  protected onConfigured(): Promise<void> | void {
    // Nothing by default.
  }

  /** Called after a reload changed reloadable keys; `this.config` already holds the new values. */
  protected onConfigChanged(_change: ConfigChanged): void {
    // Nothing by default.
  }
}
