import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readKillFlag } from '../../../src/risk/kill-switch-file';
import { quietEnv, startMain } from '../../helpers/run-main';

async function run(argv: string[], env: Record<string, string>) {
  return startMain(argv, quietEnv(env)).done;
}

describe('halt and resume', () => {
  it('write and remove the flag file of risk.killSwitch.file, with --exit asking for the positions to be sold', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'halt-')), 'flags', 'halt.flag');
    const env = { BOT_RISK_KILL_SWITCH_FILE: file };
    expect(await run(['halt'], env)).toMatchObject({ code: 0, stdout: `wrote ${file}: the bot halts trading at its next candle period\n` });
    expect(readKillFlag(file)).toEqual({ on: true, exit: false });
    expect((await run(['halt', '--exit'], env)).code).toBe(0);
    expect(readKillFlag(file)).toEqual({ on: true, exit: true });
    expect(await run(['resume'], env)).toMatchObject({ code: 0, stdout: `removed ${file}: the kill switch lets go at the bot's next candle period\n` });
    expect(readKillFlag(file)).toEqual({ on: false, exit: false });
    expect((await run(['resume'], env)).stdout).toBe(`${file} does not exist: the kill switch was off already\n`);
  });

  it('refuses in one sentence naming the key when risk.killSwitch.file is empty', async () => {
    const result = await run(['halt'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: halt needs risk.killSwitch.file: set it (in the config file or BOT_RISK_KILL_SWITCH_FILE) to the flag file the bot looks for\n');
  });
});
