import type { BotConfig } from '../config/schema';
import { loadStrategy } from './load-strategy';
import { resolveParams } from './resolve-params';
import type { StrategyDefinition } from './types';

/**
 * Loads every strategy the configuration names and checks its parameters, so a typo in a name or a bad
 * parameter stops the bot before any agent starts (UserError, exit 2).
 */
export function loadStrategies(config: BotConfig, strategiesDir: string): StrategyDefinition[] {
  return config.analysis.strategies.map((name) => {
    const definition = loadStrategy(name, strategiesDir);
    resolveParams(definition, config.strategy.params[name]);
    return definition;
  });
}
