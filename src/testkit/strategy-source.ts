import { checkStrategy, loadStrategy } from '../strategy/load-strategy';
import type { ParamSpecs, StrategyDefinition } from '../strategy/types';
import { STRATEGIES_DIR } from './project-paths';

/** A strategy as a test names it: an imported or inline definition, or a file name in strategies/. */
export type StrategyRef<S extends ParamSpecs = ParamSpecs> = StrategyDefinition<S> | string;

/**
 * The definition a test means: loaded from strategies/ by name, or checked as the loader checks a file's
 * export, so a definition that passes here also loads in the bot. The engine takes it as it is
 * (runBacktest's `strategies`), with no file written anywhere.
 */
export function loadDefinition(ref: StrategyRef, strategiesDir = STRATEGIES_DIR): StrategyDefinition {
  return typeof ref === 'string' ? loadStrategy(ref, strategiesDir) : checkStrategy(ref);
}
