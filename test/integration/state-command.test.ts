import fs from 'node:fs';
import path from 'node:path';
import { Journal } from '../../src/state/journal';
import { startBot, tempDir, waitFor } from '../helpers/bot-process';
import { quietEnv, runMain } from '../helpers/run-main';

describe('the state command', () => {
  const dir = tempDir('state-command-');
  const file = path.join(dir, 'paper.sqlite');

  beforeAll(async () => {
    // Stopped by its duration before its candles ran out: the run is not over, its orders and positions stay.
    const run = await runMain(['--seed', '7', '--speed', '2000', '--state', file, '--duration', '1.5'], quietEnv({ BOT_LOG_LEVEL: 'warn' }));
    expect(run.code).toBe(0);
  });

  it('shows the account, the positions with their levels, the open orders and the last 20 events', async () => {
    const run = await runMain(['state', 'show', '--state', file]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^state file .*paper\.sqlite: paper, simulated, seed 7, BTC\/USDT,ETH\/USDT, 1h, created 20\d\d-/);
    expect(lines[1]).toMatch(/^account: cash \d+\.\d\d, equity \d+\.\d\d .*, \d+ closed trade\(s\), \d+ candle period\(s\)$/);
    expect(run.stdout).toMatch(/^positions \(\d\):$/m);
    expect(run.stdout).toMatch(/^open orders \(\d+\):$/m);
    expect(run.stdout).toMatch(/^last 20 journal event\(s\):$/m);
    const events = lines.filter((l) => /^ {2}20\d\d-.*Z {2}(order|position)\.\w+ {2}\{/.test(l));
    expect(events).toHaveLength(20);
    for (const position of lines.filter((l) => /^ {2}[A-Z]+\/USDT {2}qty/.test(l))) expect(position).toMatch(/stop-loss \d/);
  });

  it('exports the state as CSV and JSON files', async () => {
    const out = path.join(dir, 'export');
    const run = await runMain(['state', 'export', '--state', file, '--out', out]);
    expect(run.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['account.json', 'events.jsonl', 'open-orders.csv', 'positions.csv', 'trades.csv']);
    const account = JSON.parse(fs.readFileSync(path.join(out, 'account.json'), 'utf8')) as { run: { seed: string }; books: { tally: { trades: number } } };
    expect(account.run.seed).toBe('7');
    const trades = fs.readFileSync(path.join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(trades).toHaveLength(account.books.tally.trades + 1);
    const events = fs.readFileSync(path.join(out, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number });
    expect(events.length).toBeGreaterThan(20);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('backs the file up while a bot is writing it, into a copy that opens as a state file', async () => {
    const live = path.join(dir, 'running.sqlite');
    const bot = startBot(['--seed', '9', '--speed', '500', '--state', live], { BOT_LOG_TO_FILE: 'false', BOT_CONFIG_WATCH: 'false', BOT_LOG_LEVEL: 'info', BOT_MONITOR_STATUS_INTERVAL_MS: '0' });
    try {
      await waitFor(() => bot.stdout().includes('order.submitted') || /filled paper-\d+/.test(bot.stdout()), 'the running bot to trade', 30_000);
      const copy = path.join(dir, 'backup.sqlite');
      const run = await runMain(['state', 'backup', '--state', live, '--out', copy]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`wrote a copy of ${live} to ${copy}\n`);
      const journal = Journal.open(copy, { readonly: true, keepEvents: 100 });
      expect(journal.load().meta['seed']).toBe('9');
      expect(journal.recent(5).length).toBeGreaterThan(0);
      journal.close();
      // Refused the second time: a backup never overwrites.
      expect((await runMain(['state', 'backup', '--state', live, '--out', copy])).code).toBe(2);
    } finally {
      bot.kill('SIGINT');
      expect(await bot.code).toBe(0);
    }
  }, 60_000);

  it('says in one sentence that there is no state file', async () => {
    const run = await runMain(['state', 'show', '--state', path.join(dir, 'nothing.sqlite')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: there is no state file at ${path.join(dir, 'nothing.sqlite')}\n`);
  });
});
