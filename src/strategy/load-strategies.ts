import type { BotConfig } from '../config/schema';
import { checkStrategy, loadStrategy } from './load-strategy';
import { resolveParams } from './resolve-params';
import type { StrategyDefinition } from './types';

/**
 * Loads every strategy the configuration names and checks its parameters, so a typo in a name or a bad
 * parameter stops the bot before any agent starts (UserError, exit 2). A strategy among `given` (definitions
 * handed over in code, as the test kit does) is taken from there instead of `strategiesDir`, checked the same way.
 */
export function loadStrategies(config: BotConfig, strategiesDir: string, given: readonly StrategyDefinition[] = []): StrategyDefinition[] {
  return config.analysis.strategies.map((name) => {
    const inline = given.find((d) => d.name === name);
    const definition = inline !== undefined ? checkStrategy(inline) : loadStrategy(name, strategiesDir);
    resolveParams(definition, config.strategy.params[name]);
    return definition;
  });
}
