import { loadStrategy } from './load-strategy';
import type { StrategyRunner } from './strategy-runner';
import type { StrategyDefinition } from './types';

export interface ReloadedStrategy {
  definition: StrategyDefinition;
  runner: StrategyRunner;
  /** Candles of history it was warmed up on. */
  candles: number;
}

/**
 * A changed strategy file, loaded afresh and made ready to replace the running version: checked, given its
 * parameters (`runnerFor`) and warmed up (`warmUp`), so it trades from its next candle with ready
 * indicators. Throws what is wrong: a file that no longer loads, names another strategy, or breaks while
 * warming up; the running version then goes on.
 */
export async function reloadStrategy(
  name: string,
  strategiesDir: string,
  runnerFor: (definition: StrategyDefinition) => StrategyRunner,
  warmUp: (runner: StrategyRunner) => Promise<number>,
): Promise<ReloadedStrategy> {
  const definition = loadStrategy(name, strategiesDir, { fresh: true });
  if (definition.name !== name) throw new Error(`the file now names the strategy "${definition.name}"; a strategy keeps its name`);
  const runner = runnerFor(definition);
  const candles = await warmUp(runner);
  if (runner.disabled) throw new Error(runner.error ?? 'it broke while warming up');
  return { definition, runner, candles };
}
