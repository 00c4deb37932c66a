import { stateFileOf } from '../app/open-state';
import type { BotConfig } from '../config/schema';
import type { OutputPath } from './output-paths';

/**
 * Spread over processes (--bus), only the trade side keeps the state file; the others hold nothing to
 * resume. Without --bus every run keeps it (unless `state.file` is none).
 */
export function keepsStateFile(config: BotConfig): boolean {
  const { redis, roles } = config.bus;
  return redis.url === '' || roles.length === 0 || roles.some((r) => r === 'trade' || r === 'portfolio');
}

/**
 * What a paper or live run writes: the --out directory, the state file and the log directory, each named as
 * the user set it (the flag when one was given, else the config key).
 */
export function paperOutputPaths(config: BotConfig, mode: 'paper' | 'live', given: { out?: string; state?: string }): OutputPath[] {
  const paths: OutputPath[] = [];
  if (config.run.out !== '') paths.push({ label: given.out !== undefined ? '--out' : 'run.out', path: config.run.out, kind: 'directory' });
  const stateFile = keepsStateFile(config) ? stateFileOf(config, mode) : undefined;
  if (stateFile !== undefined) paths.push({ label: given.state !== undefined ? '--state' : 'state.file', path: stateFile, kind: 'file' });
  if (config.log.toFile) paths.push({ label: 'log.dir', path: config.log.dir, kind: 'directory' });
  return paths;
}
