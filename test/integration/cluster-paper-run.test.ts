import fs from 'node:fs';
import path from 'node:path';
import { startBot, tempDir, waitFor, type BotProcess } from '../helpers/bot-process';
import { describeWithRedis, startRedis, type RedisServer } from '../helpers/redis-server';

const BUS_KEY = 'cluster-test-key-0123456789abcdef0123456789';
const SYMBOLS = 'BTC/USDT,ETH/USDT,SOL/USDT,BNB/USDT,XRP/USDT,ADA/USDT';
/** The same run everywhere: a seeded simulated market, a fixed number of candles, every trade written out. */
const RUN = ['--seed', '4242', '--candles', '400', '--speed', '2000', '--symbols', SYMBOLS, '--strategy', 'sma-cross'];

async function finished(bot: BotProcess, name: string): Promise<void> {
  const code = await bot.code;
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${bot.stdout().slice(-3000)}\n${bot.stderr()}`);
}

function trades(dir: string): string {
  return fs.readFileSync(path.join(dir, 'trades.csv'), 'utf8');
}

describeWithRedis('the paper bot spread over processes through Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('makes the same trades over 4 processes (data, 2 x analysis, trade+portfolio+monitor) as in one', async () => {
    const single = tempDir('single-');
    const one = startBot([...RUN, '--out', single], { BOT_LOG_TO_FILE: 'false' });
    await finished(one, 'the single-process run');

    const spread = tempDir('spread-');
    const env = { BOT_LOG_TO_FILE: 'false', BOT_BUS_KEY: BUS_KEY, BOT_BUS_REDIS_PASSWORD: redis.password, BOT_BUS_AWAIT: 'data,analysis:2,portfolio,trade' };
    const bus = ['--bus', redis.busUrl];
    const processes = {
      trade: startBot([...RUN, ...bus, '--role', 'trade,portfolio,monitor', '--out', spread], env),
      analysis1: startBot([...RUN, ...bus, '--role', 'analysis', '--node', 'analysis-1'], env),
      analysis2: startBot([...RUN, ...bus, '--role', 'analysis', '--node', 'analysis-2'], env),
      data: startBot([...RUN, ...bus, '--role', 'data'], env),
    };
    try {
      await Promise.all(Object.entries(processes).map(([name, bot]) => finished(bot, name)));
    } finally {
      for (const bot of Object.values(processes)) bot.kill('SIGKILL');
    }
    const expected = trades(single);
    expect(expected.split('\n').length).toBeGreaterThan(10);
    expect(trades(spread)).toBe(expected);
    // Both shards decided: each says which symbols it took.
    expect(processes.analysis1.stdout()).toMatch(/analysis shard took over/);
    expect(processes.analysis2.stdout()).toMatch(/analysis shard took over/);
    expect(processes.trade.stdout()).not.toMatch(/refused a message/);
  }, 180_000);

  it('makes them too with the market and the trade side in one process and the two shards elsewhere', async () => {
    const single = tempDir('single-');
    const one = startBot([...RUN, '--out', single], { BOT_LOG_TO_FILE: 'false' });
    await finished(one, 'the single-process run');
    const spread = tempDir('spread-');
    const env = { BOT_LOG_TO_FILE: 'false', BOT_BUS_KEY: BUS_KEY, BOT_BUS_REDIS_PASSWORD: redis.password, BOT_BUS_AWAIT: 'data,analysis:2,portfolio,trade', BOT_BUS_REDIS_PREFIX: 'layout2' };
    const bus = ['--bus', redis.busUrl];
    const processes = [
      startBot([...RUN, ...bus, '--role', 'data,trade,portfolio,monitor', '--out', spread], env),
      startBot([...RUN, ...bus, '--role', 'analysis', '--node', 'analysis-1'], env),
      startBot([...RUN, ...bus, '--role', 'analysis', '--node', 'analysis-2'], env),
    ];
    try {
      await Promise.all(processes.map((bot, i) => finished(bot, `process ${i}`)));
    } finally {
      for (const bot of processes) bot.kill('SIGKILL');
    }
    expect(trades(spread)).toBe(trades(single));
  }, 180_000);
});

describeWithRedis('a spread-out paper bot losing a process', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  const env = (): Record<string, string> => ({
    BOT_LOG_TO_FILE: 'false', BOT_BUS_KEY: BUS_KEY, BOT_BUS_REDIS_PASSWORD: redis.password, BOT_BUS_FAILOVER_MS: '1000',
  });
  const KILL_RUN = ['--seed', '99', '--candles', '700', '--speed', '2000', '--symbols', SYMBOLS, '--strategy', 'sma-cross'];

  it('moves the symbols of an analysis process killed with -9 to the one left, which goes on deciding on them', async () => {
    const out = tempDir('kill-analysis-');
    const bus = ['--bus', redis.busUrl, '--log-level', 'debug'];
    const e = { ...env(), BOT_BUS_AWAIT: 'data,analysis:2,portfolio,trade', BOT_BUS_REDIS_PREFIX: 'kill-analysis' };
    const trade = startBot([...KILL_RUN, ...bus, '--role', 'trade,portfolio,monitor', '--out', out], e);
    const survivor = startBot([...KILL_RUN, ...bus, '--role', 'analysis', '--node', 'analysis-1'], e);
    const victim = startBot([...KILL_RUN, ...bus, '--role', 'analysis', '--node', 'analysis-2'], e);
    const data = startBot([...KILL_RUN, ...bus, '--role', 'data'], e);
    try {
      await waitFor(() => /market feed: /.test(data.stdout()), 'the market to play', 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const victimsSymbols = symbolsTakenBy(victim.stdout());
      expect(victimsSymbols.length).toBeGreaterThan(0);
      victim.kill('SIGKILL');
      await Promise.all([finished(trade, 'trade'), finished(survivor, 'analysis-1'), finished(data, 'data')]);
      // The survivor took the victim's symbols over, warmed up, and decided on them after the kill.
      const takeover = survivor.stdout().split('\n').filter((l) => l.includes('analysis shard took over')).pop() ?? '';
      for (const symbol of victimsSymbols) expect(takeover).toContain(symbol);
      // Warmed up on the candles the data process had kept of them, so the strategies decide at once.
      expect(Number(/warmed up on (\d+) candles/.exec(takeover)?.[1])).toBeGreaterThan(0);
      // The debug log's effective configuration names the Redis password only masked.
      for (const bot of [trade, survivor, data]) expect(bot.stdout()).not.toContain(redis.password);
      expect(fs.existsSync(path.join(out, 'trades.csv'))).toBe(true);
    } finally {
      for (const bot of [trade, survivor, victim, data]) bot.kill('SIGKILL');
    }
  }, 180_000);

  it('hands the trade side to the standby when the leader is killed with -9: it resumes from the state file and no order is placed twice', async () => {
    const dir = tempDir('kill-leader-');
    const stateFile = path.join(dir, 'paper.sqlite');
    const bus = ['--bus', redis.busUrl];
    const e = { ...env(), BOT_BUS_REDIS_PREFIX: 'kill-leader', BOT_STATE_FILE: stateFile };
    const leader = startBot([...KILL_RUN, ...bus, '--role', 'trade,portfolio,monitor', '--node', 'trader', '--out', path.join(dir, 'leader')], e);
    await waitFor(() => /leading the trade side with fencing token/.test(leader.stdout()), 'the leader', 60_000);
    const standby = startBot([...KILL_RUN, ...bus, '--role', 'trade,portfolio,monitor', '--node', 'trader', '--out', path.join(dir, 'standby')], e);
    const analysis = startBot([...KILL_RUN, ...bus, '--role', 'analysis'], e);
    const data = startBot([...KILL_RUN, ...bus, '--role', 'data'], e);
    try {
      await waitFor(() => /standby: another process leads the trade side/.test(standby.stdout()), 'the standby to wait', 60_000);
      await waitFor(() => /market feed: /.test(data.stdout()), 'the market to play', 60_000);
      await waitFor(() => (leader.stdout().match(/order \S+ filled|filled /g) ?? []).length >= 2, 'the leader to fill orders', 60_000);
      leader.kill('SIGKILL');
      await Promise.all([finished(standby, 'standby'), finished(analysis, 'analysis'), finished(data, 'data')]);
      const taken = /leading the trade side with fencing token (\d+)/.exec(standby.stdout());
      const first = /leading the trade side with fencing token (\d+)/.exec(leader.stdout());
      expect(Number(taken?.[1])).toBeGreaterThan(Number(first?.[1]));
      expect(standby.stdout()).toMatch(/resum/i);
      const csv = fs.readFileSync(path.join(dir, 'standby', 'trades.csv'), 'utf8').trim().split('\n');
      const rows = csv.slice(1);
      expect(rows.length).toBeGreaterThan(0);
      // Each round trip once: an order placed twice would show as a trade twice.
      expect(new Set(rows).size).toBe(rows.length);
    } finally {
      for (const bot of [leader, standby, analysis, data]) bot.kill('SIGKILL');
    }
  }, 180_000);
});

describeWithRedis('a spread-out paper bot whose Redis restarts', () => {
  it('reconnects every process after 1 s down and runs to the end of the market, nobody taken for dead', async () => {
    const redis = await startRedis();
    const e = { BOT_LOG_TO_FILE: 'false', BOT_BUS_KEY: BUS_KEY, BOT_BUS_REDIS_PASSWORD: redis.password, BOT_BUS_FAILOVER_MS: '3000' };
    const bus = ['--bus', redis.busUrl];
    const run = ['--seed', '5', '--candles', '500', '--speed', '2000', '--symbols', SYMBOLS, '--strategy', 'sma-cross'];
    const out = tempDir('redis-restart-');
    const trade = startBot([...run, ...bus, '--role', 'trade,portfolio,monitor', '--out', out], e);
    const analysis = startBot([...run, ...bus, '--role', 'analysis', '--node', 'analysis-1'], e);
    const analysis2 = startBot([...run, ...bus, '--role', 'analysis', '--node', 'analysis-2'], e);
    const data = startBot([...run, ...bus, '--role', 'data'], { ...e, BOT_BUS_AWAIT: 'data,analysis:2,portfolio,trade' });
    try {
      await waitFor(() => /market feed: /.test(data.stdout()), 'the market to play', 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await redis.restart(1000);
      await Promise.all([finished(trade, 'trade'), finished(analysis, 'analysis-1'), finished(analysis2, 'analysis-2'), finished(data, 'data')]);
      for (const bot of [trade, analysis, analysis2, data]) {
        expect(bot.stdout()).toMatch(/Redis .* connection to redis:\/\/127\.0\.0\.1:\d+ is back/);
        // Reconnected before anyone was given up: no shard took another's symbols, no trader was replaced.
        // Up to the process's own stop: at the market's end the others leave too, and may leave first.
        const stdout = bot.stdout();
        const stop = stdout.indexOf('stopping: ');
        const sinceDrop = stdout.slice(stdout.indexOf('dropped; reconnecting'), stop >= 0 ? stop : undefined);
        expect(sinceDrop).not.toMatch(/took over|handed .* over to another process|standby|lost the trade side/);
      }
      expect(data.stdout()).toMatch(/market feed ended: 500 candles played/);
      expect(fs.existsSync(path.join(out, 'trades.csv'))).toBe(true);
    } finally {
      for (const bot of [trade, analysis, analysis2, data]) bot.kill('SIGKILL');
      await redis.stop();
    }
  }, 180_000);
});

/** The symbols an analysis process said it took over, last time it said so. */
function symbolsTakenBy(stdout: string): string[] {
  const lines = stdout.split('\n');
  const handed = new Set<string>();
  const taken = new Set<string>();
  for (const line of lines) {
    const took = /analysis shard took over (.*), warmed up/.exec(line);
    if (took) for (const s of took[1]!.split(', ')) taken.add(s);
    const gave = /analysis shard handed (.*) over to another process/.exec(line);
    if (gave) for (const s of gave[1]!.split(', ')) handed.add(s);
  }
  return [...taken].filter((s) => !handed.has(s));
}
