/**
 * Crash-only, proven: a paper run killed with SIGKILL at seeded random moments and started again each
 * time, with the same command, ends with exactly the trades and summary of a run never interrupted; after
 * every kill its trades.csv holds the first of those trades, whole rows only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Rng } from '../../src/market/rng';
import { startBot, tempDir, waitFor } from '../helpers/bot-process';

const KILLS = 20;
const ARGS = ['--candles', '3000', '--seed', '7', '--speed', '1000'];
const ENV = { BOT_LOG_TO_FILE: 'false', BOT_CONFIG_WATCH: 'false', BOT_LOG_LEVEL: 'info', BOT_MONITOR_STATUS_INTERVAL_MS: '0' };

function outputs(dir: string): { trades: string; summary: string } {
  return { trades: fs.readFileSync(path.join(dir, 'trades.csv'), 'utf8'), summary: fs.readFileSync(path.join(dir, 'summary.json'), 'utf8') };
}

describe('a paper run killed and resumed', () => {
  it(`ends with the trades and summary of an uninterrupted run after ${KILLS} kill -9s`, async () => {
    const dir = tempDir('paper-kill-');
    const reference = startBot([...ARGS, '--state', 'none', '--out', path.join(dir, 'reference')], ENV);
    expect(await reference.code).toBe(0);
    const expected = outputs(path.join(dir, 'reference'));

    const state = path.join(dir, 'paper.sqlite');
    const out = path.join(dir, 'resumed');
    const rng = new Rng(20261207);
    let resumes = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const bot = startBot([...ARGS, '--state', state, '--out', out], ENV);
      await waitFor(() => bot.stdout().includes('agent status (all agents running)') || bot.stdout().includes('stopping:'), 'the agents to run');
      if (bot.stdout().includes('resumed from')) resumes += 1;
      // Up to 150 ms of trading a life: 20 lives play less than the 3000 candles, so every kill lands mid-run.
      await new Promise((resolve) => setTimeout(resolve, rng.int(0, 150)));
      bot.kill('SIGKILL');
      expect(await bot.code).toBeNull();
      // --out follows the run: what a killed life leaves is whole rows, the reference's first ones.
      const partial = fs.readFileSync(path.join(out, 'trades.csv'), 'utf8');
      expect(expected.trades.startsWith(partial)).toBe(true);
    }
    const last = startBot([...ARGS, '--state', state, '--out', out], ENV);
    expect(await last.code).toBe(0);
    expect(last.stdout()).toMatch(/resumed from .*paper\.sqlite: \d+ position\(s\), \d+ open order\(s\), last event at /);
    expect(resumes).toBe(KILLS - 1);

    const got = outputs(out);
    // The default run trades some 55 times in 3000 candles: a comparison of many trades, kills between them.
    expect(got.trades.split('\n').length).toBeGreaterThan(40);
    expect(got.trades).toBe(expected.trades);
    expect(got.summary).toBe(expected.summary);
  }, 180_000);
});
