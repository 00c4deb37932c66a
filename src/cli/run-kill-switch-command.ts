import path from 'node:path';
import { loadConfig } from '../config/load-config';
import { ExitCode, UserError } from '../core/errors';
import { removeKillFlag, writeKillFlag } from '../risk/kill-switch-file';
import type { CommonOptions } from './common-options';
import type { MainIO } from './main-io';

export interface HaltOptions extends CommonOptions {
  exit?: boolean;
}

/**
 * `halt [--exit]` and `resume`: write and remove the kill switch's flag file, `risk.killSwitch.file`. The
 * running bot looks for it once a candle period; the file is the switch, so nothing has to reach the process.
 */
export function runKillSwitchCommand(action: 'halt' | 'resume', options: HaltOptions, io: MainIO): number {
  const { config } = loadConfig({
    defaultFile: path.join(io.projectRoot, 'config', 'default.json'),
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    env: io.env,
  });
  const { file } = config.risk.killSwitch;
  if (file === '') {
    throw new UserError(`${action} needs risk.killSwitch.file: set it (in the config file or BOT_RISK_KILL_SWITCH_FILE) to the flag file the bot looks for`);
  }
  if (action === 'halt') {
    writeKillFlag(file, options.exit === true);
    const exits = options.exit === true ? ', selling every open position first' : '';
    io.stdout.write(`wrote ${file}: the bot halts trading at its next candle period${exits}\n`);
  } else if (removeKillFlag(file)) {
    io.stdout.write(`removed ${file}: the kill switch lets go at the bot's next candle period\n`);
  } else {
    io.stdout.write(`${file} does not exist: the kill switch was off already\n`);
  }
  return ExitCode.ok;
}
