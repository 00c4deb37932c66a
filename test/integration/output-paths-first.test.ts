/**
 * An output that cannot be written is refused before any work: one sentence naming the flag or key and the
 * path, exit 2, and nothing run (no banner, no backtest, no request to an exchange).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quietEnv, runMain } from '../helpers/run-main';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-paths-first-'));
const aFile = path.join(dir, 'a-file');
fs.writeFileSync(aFile, 'not a directory');
// Never read: the --out check comes first, so a missing candle file must not be what is reported.
const missingData = path.join(dir, 'BTC_USDT-1h.json');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function refused(argv: string[], expected: string, env = quietEnv()): Promise<void> {
  const run = await runMain(argv, env);
  expect({ argv, code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ argv, code: 2, stderr: `error: ${expected}\n`, stdout: '' });
}

describe('outputs are checked before any work', () => {
  it('backtest --out naming a file', async () => {
    await refused(['backtest', '--strategy', 'sma-cross', '--data', missingData, '--out', aFile], `--out ${aFile} exists and is not a directory; give a directory to write into`);
  });

  it('optimize --out naming a directory, or below a file', async () => {
    await refused(['optimize', '--strategy', 'sma-cross', '--data', missingData, '--out', dir], `--out ${dir} is a directory; give a file name`);
    const below = path.join(aFile, 'results.json');
    await refused(['optimize', '--strategy', 'sma-cross', '--data', missingData, '--out', below], `--out ${below} cannot be created: ${aFile} is a file, not a directory`);
  });

  it('download --out naming a file, before any request', async () => {
    await refused(
      ['download', '--exchange-url', 'http://127.0.0.1:9', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--from', '2024-01-01', '--out', aFile],
      `--out ${aFile} exists and is not a directory; give a directory to write into`,
    );
  });

  it('paper --out, --state and log.dir, before the run starts', async () => {
    await refused(['paper', '--candles', '5', '--speed', '1000', '--out', aFile], `--out ${aFile} exists and is not a directory; give a directory to write into`);
    const state = path.join(aFile, 'paper.sqlite');
    await refused(['paper', '--candles', '5', '--speed', '1000', '--state', state], `--state ${state} cannot be created: ${aFile} is a file, not a directory`);
    await refused(['paper', '--candles', '5', '--speed', '1000'], `log.dir ${aFile} exists and is not a directory; give a directory to write into`, quietEnv({ BOT_LOG_TO_FILE: 'true', BOT_LOG_DIR: aFile }));
    await refused(['paper', '--candles', '5', '--speed', '1000'], `run.out ${aFile} exists and is not a directory; give a directory to write into`, quietEnv({ BOT_RUN_OUT: aFile }));
  });
});
