import { Option, type Command } from 'commander';
import { OPTIMIZE_METRICS } from '../optimize/ranking';
import { WALK_FORWARD_SCHEMES } from '../optimize/walk-forward';
import { addReplayOptions, type ReplayOptions } from './backtest-options';
import type { CommonOptions } from './common-options';

export interface OptimizeOptions extends CommonOptions, ReplayOptions {
  method: 'grid' | 'random';
  trials?: string;
  seed?: string;
  metric: (typeof OPTIMIZE_METRICS)[number];
  walkForward?: string;
  walkForwardScheme: (typeof WALK_FORWARD_SCHEMES)[number];
  params?: string;
  workers?: string;
  top?: string;
  out?: string;
}

export function addOptimizeOptions(command: Command): Command {
  return addReplayOptions(command)
    .addOption(new Option('--method <method>', 'grid: every combination; random: --trials samples drawn with --seed').choices(['grid', 'random']).default('grid'))
    .option('--trials <n>', 'parameter sets a random search draws (default 100)')
    .option('--seed <n>', 'seed of the random search: the same seed draws the same sets (default: drawn and printed)')
    .addOption(new Option('--metric <metric>', 'what ranks the trials, best first').choices(OPTIMIZE_METRICS).default('sharpe'))
    .option('--walk-forward <folds>', 'split the data into folds + 1 segments; optimize on each, test the winner on the next')
    .addOption(new Option('--walk-forward-scheme <scheme>', 'rolling: in-sample is one segment; anchored: all segments so far').choices(WALK_FORWARD_SCHEMES).default('rolling'))
    .option('--params <json>', `ranges to search: lists or {min,max,step}, e.g. '{"fast":[5,10,20],"slow":{"min":20,"max":60,"step":10}}'`)
    .option('--workers <n>', 'worker threads running backtests (default: one per core)')
    .option('--top <n>', 'trials shown in the results table (default 10)')
    .option('--out <file>', 'results file, JSON (default optimizations/<strategy>-<timestamp>.json)');
}
