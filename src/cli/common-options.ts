import { InvalidArgumentError, Option, type Command } from 'commander';
import { LOG_LEVELS, type LogLevel } from '../logging/logger';

/** Options every command takes. */
export interface CommonOptions {
  config?: string;
  logLevel?: LogLevel;
  duration?: number;
}

export const COMMON_OPTIONS_HELP = `
Options on every command:
  -c, --config <file>       JSON config file, layered over config/default.json
  -l, --log-level <level>   error, warn, info or debug
  -d, --duration <seconds>  stop after this many seconds (0: run until Ctrl-C)

Exit codes: 0 clean stop, 1 runtime failure, 2 bad usage or bad configuration.`;

export function addCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'JSON config file, layered over config/default.json')
    .addOption(new Option('-l, --log-level <level>', 'log level').choices(LOG_LEVELS))
    .option('-d, --duration <seconds>', 'stop after this many seconds (0: run until Ctrl-C)', parseSeconds);
}

/** commander's way to let an option repeat: each use adds to the list. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidArgumentError('it must be a number of seconds, 0 or more.');
  }
  return seconds;
}

/** Maps the common options onto config keys: flags are the last and strongest config source. */
export function commonOptionFlags(options: CommonOptions): Record<string, unknown> {
  return { 'log.level': options.logLevel, 'run.durationSec': options.duration };
}
