/**
 * The REST API, its WebSocket and the dashboard on the real bot: `src/main.ts --api 0` paper-trading the
 * simulated market in a child process, driven over HTTP as a user would (curl, a browser).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { startBot, waitFor, type BotProcess } from '../helpers/bot-process';
import { describeWithBrowser, launchChromium, watchPage, type PageWatch } from '../helpers/chromium';
import { DEFAULT_CONFIG_FILE } from '../helpers/test-app';

const TOKEN = 'operations-test-token-7d1e9';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

interface RunningBot {
  bot: BotProcess;
  url: string;
}

async function startOperatedBot(): Promise<RunningBot> {
  const bot = startBot(['--api', '0', '--speed', '25'], {
    BOT_API_TOKEN: TOKEN,
    BOT_LOG_TO_FILE: 'false',
    BOT_CONFIG_WATCH: 'false',
    BOT_MONITOR_STATUS_INTERVAL_MS: '0',
    BOT_MARKET_SIMULATED_SEED: '7',
  });
  let url = '';
  await waitFor(() => {
    url = /REST API and dashboard on (http:\/\/127\.0\.0\.1:\d+)\//.exec(bot.stdout())?.[1] ?? '';
    return url !== '' || bot.stderr() !== '';
  }, 'the API server to listen', 30_000);
  if (url === '') throw new Error(`the bot did not start its API: ${bot.stderr()}`);
  return { bot, url };
}

async function get<T>(bot: RunningBot, route: string): Promise<T> {
  const response = await fetch(bot.url + route, { headers: AUTH });
  if (response.status !== 200) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function send(bot: RunningBot, method: 'POST' | 'PUT', route: string, body?: unknown): Promise<{ status: number; body: { ok?: boolean; detail?: string; error?: string } }> {
  const response = await fetch(bot.url + route, {
    method,
    headers: { ...AUTH, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as { ok?: boolean; detail?: string; error?: string } };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Status {
  agents: Array<{ name: string; state: string; restarts: number }>;
  entriesPaused: boolean;
  risk: { state: string; protection?: string };
  data: { lastCandleTime?: number; ageMs?: number };
}

describe('the REST API on a running paper bot', () => {
  let running: RunningBot;

  beforeAll(async () => {
    running = await startOperatedBot();
  }, 40_000);

  afterAll(async () => {
    running?.bot.kill('SIGKILL');
    await running?.bot.code;
  });

  it('refuses a request without the token, and reports the six agents running with fresh data', async () => {
    const refused = await fetch(running.url + '/api/status');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'unauthorized' });
    await until('a first candle', async () => (await get<Status>(running, '/api/status')).data.lastCandleTime !== undefined);
    const status = await get<Status>(running, '/api/status');
    expect(status.agents.map((a) => [a.name, a.state])).toEqual(['config', 'monitor', 'data', 'portfolio', 'trade', 'analysis'].map((n) => [n, 'running']));
    expect(status.data.ageMs).toBeLessThan(5_000);
  });

  it('pushes live events over the WebSocket once the client has sent the token', async () => {
    const socket = new WebSocket(running.url.replace('http', 'ws') + '/api/live');
    const types = new Set<string>();
    socket.on('message', (data) => types.add((JSON.parse(String(data)) as { type: string }).type));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'auth', token: TOKEN }));
    await until('a candle and a log line', async () => types.has('candle') && types.has('log'));
    socket.close();
  });

  it('pauses entries: the status says so, entries are refused, and resume lets them go again', async () => {
    await until('a first trade', async () => (await get<unknown[]>(running, '/api/trades')).length > 0, 30_000);
    const paused = await send(running, 'POST', '/api/control/pause');
    expect(paused).toEqual({ status: 200, body: { ok: true, detail: 'entries paused; exits still go' } });
    const status = await get<Status>(running, '/api/status');
    expect(status.entriesPaused).toBe(true);
    expect(status.risk).toMatchObject({ state: 'reducing', protection: 'operator' });
    await until('an entry refused while paused', async () => /order denied \[trading-reducing\]/.test(running.bot.stdout()), 30_000);

    // With entries paused, exit-all leaves the account flat: either it sells what is open, or there is nothing.
    const exit = await send(running, 'POST', '/api/control/exit-all');
    if (exit.status === 200) {
      expect(exit.body.detail).toMatch(/^exit of every position sent \(\d+ orders?\), filling at the next price$/);
      await until('the positions sold', async () => (await get<unknown[]>(running, '/api/positions')).length === 0);
    } else {
      expect(exit).toEqual({ status: 409, body: { error: 'no open position to exit' } });
    }
    const nothing = await send(running, 'POST', '/api/control/exit', { symbol: 'BTC/USDT' });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error).toMatch(/^no open position in BTC\/USDT to exit/);

    expect((await send(running, 'POST', '/api/control/resume')).body).toEqual({ ok: true, detail: 'entries resumed' });
    expect((await get<Status>(running, '/api/status')).entriesPaused).toBe(false);
  }, 90_000);

  it('changes a reloadable key as the config file would, and refuses the rest without changing anything', async () => {
    expect(await send(running, 'PUT', '/api/config', { key: 'risk.maxOpenPositions', value: 1 })).toEqual({
      status: 200,
      body: { ok: true, detail: 'risk.maxOpenPositions set to 1 (was 3)' },
    });
    const bad = await send(running, 'PUT', '/api/config', { key: 'risk.maxOpenPositions', value: 'many' });
    expect(bad.status).toBe(409);
    expect(bad.body.error).toMatch(/risk\.maxOpenPositions/);
    const frozen = await send(running, 'PUT', '/api/config', { key: 'market.symbols', value: ['BTC/USDT'] });
    expect(frozen).toEqual({ status: 409, body: { error: 'market.symbols is not reloadable: change it in the config file and restart the bot' } });
    const config = await get<{ risk: { maxOpenPositions: number }; market: { symbols: string[] } }>(running, '/api/config');
    expect(config.risk.maxOpenPositions).toBe(1);
    expect(config.market.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('restarts one agent and reloads the strategies', async () => {
    expect((await send(running, 'POST', '/api/control/restart', { agent: 'analysis' })).body).toEqual({ ok: true, detail: 'agent analysis restarted' });
    const analysis = (await get<Status>(running, '/api/status')).agents.find((a) => a.name === 'analysis');
    expect(analysis).toMatchObject({ state: 'running', restarts: 1 });
    expect((await send(running, 'POST', '/api/control/restart', { agent: 'nobody' })).status).toBe(409);
    const reload = await send(running, 'POST', '/api/control/reload-strategies');
    // The bot runs config/default.json's strategies: whichever they are, all of them are reloaded.
    const defaults = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')) as { analysis: { strategies: string[] } };
    expect(reload.body).toEqual({ ok: true, detail: `strategies reloaded: ${defaults.analysis.strategies.join(', ')}` });
  });

  it('serves the metrics, and stops the bot on request with a clean exit; the token is never logged', async () => {
    const metrics = await (await fetch(running.url + '/metrics', { headers: AUTH })).text();
    expect(metrics).toMatch(/^bot_bus_messages_total\{topic="market\.period"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^bot_equity \d+(\.\d+)?$/m);
    expect((await send(running, 'POST', '/api/control/stop')).body).toEqual({ ok: true, detail: 'stop asked for by an operator (api)' });
    expect(await running.bot.code).toBe(0);
    expect(running.bot.stdout()).toMatch(/stopping: stop asked for by an operator \(api\)/);
    expect(running.bot.stdout() + running.bot.stderr()).not.toContain(TOKEN);
  }, 30_000);
});

describeWithBrowser('dashboard-on-paper-bot')('the dashboard on a running paper bot, in headless Chromium', () => {
  let running: RunningBot;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    running = await startOperatedBot();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    watch = watchPage(page);
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
    running?.bot.kill('SIGKILL');
    await running?.bot.code;
  });

  it('logs in with the token, shows the equity and updates live on fills, pauses entries from its button', async () => {
    await page.goto(running.url + '/');
    await page.locator('#token').fill(TOKEN);
    await page.locator('#login-button').click();
    await page.locator('#app[data-loads="1"]').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.locator('#mode').innerText()).toMatch(/paper/i);
    await until('the equity', async () => /^\d{1,3}(,\d{3})*\.\d{2}$/.test(await page.locator('#equity').innerText()));
    expect(await page.locator('#agents tbody tr').count()).toBe(6);
    // A fill arrives over the WebSocket: its line in the log tail, and a position (or a closed trade) on the page.
    await until('a fill on the page', async () => (await page.locator('#log').innerText()).includes('fill:'), 40_000);
    await until('a position or a trade', async () => (await page.locator('#positions tbody tr').count()) + (await page.locator('#trades tbody tr').count()) > 0);

    await page.locator('#pause').click();
    await until('the page to say paused', async () => (await page.locator('#entries').innerText()) === 'paused');
    const status = (await (await fetch(running.url + '/api/status', { headers: AUTH })).json()) as Status;
    expect(status.entriesPaused).toBe(true);

    expect(watch.problems).toEqual([]);
    expect(watch.cspMessages).toEqual([]);
    expect(watch.offHost).toEqual([]);
  }, 90_000);
});
