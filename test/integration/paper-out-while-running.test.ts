/**
 * A paper run keeps --out current as it goes: killed with SIGKILL mid-run, it leaves a trades.csv of the
 * trades closed so far and the summary.json of its last status line, both whole and agreeing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startBot, tempDir, waitFor } from '../helpers/bot-process';

const HEADER = 'symbol,entryTime,exitTime,side,qty,entryPrice,exitPrice,fees,pnl,pnlPct,exitReason,strategy';
// The run is config/default.json's, whose timeframe the summary names.
const DEFAULT_TIMEFRAME = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'default.json'), 'utf8')) as { market: { timeframe: string } }).market.timeframe;
const ENV = { BOT_LOG_TO_FILE: 'false', BOT_CONFIG_WATCH: 'false', BOT_LOG_LEVEL: 'info', BOT_MONITOR_STATUS_INTERVAL_MS: '200' };

/** The status lines printed so far, as their trade counts. */
function statusTrades(stdout: string): number[] {
  return [...stdout.matchAll(/\| trades (\d+) \|/g)].map((m) => Number(m[1]));
}

describe('a paper run killed with SIGKILL', () => {
  it('leaves trades.csv and summary.json in --out, parseable and consistent', async () => {
    const dir = tempDir('paper-out-live-');
    const out = path.join(dir, 'out');
    // Far more candles than it plays before the kill: the run is always mid-way.
    const bot = startBot(['--candles', '1000000', '--seed', '7', '--speed', '300', '--state', 'none', '--out', out], ENV);
    try {
      await waitFor(() => statusTrades(bot.stdout()).some((n) => n > 0) && fs.existsSync(path.join(out, 'summary.json')), 'a status line after a closed trade', 30_000);
      // One more status line, so summary.json is one written after a trade had closed.
      const lines = statusTrades(bot.stdout()).length;
      await waitFor(() => statusTrades(bot.stdout()).length > lines, 'the next status line', 10_000);
    } finally {
      bot.kill('SIGKILL');
    }
    expect(await bot.code).toBeNull();
    expect(bot.stdout()).not.toContain('wrote ');

    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ startBalance: 10000, seed: 7, symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: DEFAULT_TIMEFRAME });
    const lines = fs.readFileSync(path.join(out, 'trades.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map((line) => line.split(','));
    for (const row of rows) {
      expect(row).toHaveLength(12);
      expect(row[1]).toMatch(/^2024-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
      expect(Number.isFinite(Number(row[8]))).toBe(true);
    }
    // The summary is of an earlier moment than the rows read now, or the same one.
    expect(summary['trades']).toBeGreaterThan(0);
    expect(summary['trades']).toBeLessThanOrEqual(rows.length);
    expect(fs.readdirSync(out).sort()).toEqual(['summary.json', 'trades.csv']);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
