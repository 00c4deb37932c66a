/**
 * Runs the real entry point in a child process, as a user would: signals, exit codes, and what ends up on
 * the terminal and in the log file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startBot, tempDir, waitFor } from '../helpers/bot-process';

const AGENTS_IN_START_ORDER = ['config', 'monitor', 'data', 'portfolio', 'trade', 'analysis'];

function stopOrder(stdout: string): string[] {
  return [...stdout.matchAll(/\[(\w+)\] stopping -> stopped$/gm)].map((m) => m[1]!);
}

describe('the bot as a process', () => {
  it('stops the agents in reverse order on SIGINT and exits 0', async () => {
    const bot = startBot([], { BOT_LOG_DIR: tempDir(), BOT_CONFIG_WATCH: 'false' });
    await waitFor(() => bot.stdout().includes('agent status (all agents running)'), 'all agents running');
    bot.kill('SIGINT');
    expect(await bot.code).toBe(0);
    expect(bot.stdout()).toContain('SIGINT received, stopping the agents');
    expect(stopOrder(bot.stdout())).toEqual([...AGENTS_IN_START_ORDER].reverse());
  });

  it('never shows a secret from the environment, on the terminal or in the log file, even at debug level', async () => {
    const canary = 'CANARY-9f3b2c71-secret-value';
    const logDir = tempDir();
    const bot = startBot(['--duration', '2', '--log-level', 'debug'], {
      BOT_EXCHANGE_SECRET: canary,
      BOT_EXCHANGE_API_KEY: `key-${canary}`,
      BOT_LOG_DIR: logDir,
      BOT_CONFIG_WATCH: 'false',
    });
    expect(await bot.code).toBe(0);
    const logFile = path.join(logDir, 'bot.jsonl');
    const logText = fs.readFileSync(logFile, 'utf8');
    expect(logText).toContain('"level":"debug"');
    // The debug dump of the configuration holds both secrets, so they were there to leak and were masked.
    expect(logText).toContain('[REDACTED]');
    expect(bot.stdout()).toContain('agent status (shutdown)');
    for (const text of [bot.stdout(), bot.stderr(), logText]) expect(text).not.toContain(canary);
  });

  it('exits 2 with one line naming the file for a config file that does not exist', async () => {
    const bot = startBot(['--config', 'no/such/file.json'], { BOT_LOG_TO_FILE: 'false' });
    expect(await bot.code).toBe(2);
    expect(bot.stderr().trim().split('\n')).toHaveLength(1);
    expect(bot.stderr()).toContain('no/such/file.json');
  });
});

describe('a paper run with --candles, --seed and --out', () => {
  it('exits 0, writes summary.json and trades.csv, and repeats itself exactly for the same seed', async () => {
    const outs = [tempDir(), tempDir()];
    for (const out of outs) {
      const bot = startBot(['--candles', '500', '--seed', '1', '--speed', '2000', '--out', out], {
        BOT_LOG_TO_FILE: 'false',
        BOT_CONFIG_WATCH: 'false',
      });
      expect(await bot.code).toBe(0);
      expect(bot.stdout()).toContain('SIMULATED market');
      expect(bot.stdout()).toMatch(/run summary:\nequity +10000\.00 ->/);
    }
    const summary = JSON.parse(fs.readFileSync(path.join(outs[0]!, 'summary.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['startBalance', 'finalEquity', 'cash', 'positionsValue', 'totalReturnPct', 'trades', 'winRatePct', 'feesPaid', 'maxDrawdownPct', 'candles']) {
      expect(typeof summary[key]).toBe('number');
    }
    expect(summary['candles']).toBe(500);
    expect(summary['startBalance']).toBe(10000);
    const csv = fs.readFileSync(path.join(outs[0]!, 'trades.csv'), 'utf8');
    const [header, ...rows] = csv.trimEnd().split('\n');
    expect(header).toBe('symbol,entryTime,exitTime,side,qty,entryPrice,exitPrice,fees,pnl,pnlPct,exitReason,strategy');
    expect(rows.length).toBe(summary['trades']);
    expect(rows[0]).toMatch(/^(BTC|ETH)\/USDT,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,long,/);
    expect(fs.readFileSync(path.join(outs[1]!, 'trades.csv'), 'utf8')).toBe(csv);
  });
});
