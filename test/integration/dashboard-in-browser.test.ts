import type { Browser, Page } from 'playwright-core';
import type { PositionView } from '../../src/portfolio/types';
import { describeWithBrowser, launchChromium, watchPage } from '../helpers/chromium';
import { startDashboardStub, type DashboardStub } from '../helpers/dashboard-stub-server';

/**
 * The dashboard in headless Chromium (Debian's package through playwright-core, test/helpers/chromium.ts),
 * against a stub of the API server that keeps to the contract of src/api/bot-control.ts: login, the bot's state, live updates over the WebSocket, the controls, and the
 * page's hygiene (no console error, no request off 127.0.0.1, the CSP enforced and never tripped).
 */
const TOKEN = 'dashboard-test-token-5f3a';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Takes out of `problems` the console lines of an HTTP error the test provoked on purpose: exactly one. */
function expectedFailure(problems: string[], status: number): void {
  const index = problems.findIndex((p) => p.includes(`Failed to load resource: the server responded with a status of ${status}`));
  expect(index).toBeGreaterThanOrEqual(0);
  problems.splice(index, 1);
}

const text = (page: Page, selector: string): Promise<string> => page.locator(selector).first().innerText();

describeWithBrowser('dashboard-in-browser')('the dashboard in headless Chromium', () => {
  let browser: Browser;
  let stub: DashboardStub;
  let page: Page;
  let problems: string[];
  let cspMessages: string[];
  let offHost: string[];

  beforeAll(async () => {
    stub = await startDashboardStub(TOKEN);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    ({ problems, cspMessages, offHost } = watchPage(page));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await stub?.close();
  });

  it('serves the page with the CSP, and a wrong token gets the login error', async () => {
    const response = await page.goto(stub.url + '/');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('#token').fill('not-the-token');
    await page.locator('#login-button').click();
    await page.locator('#login-error').waitFor({ state: 'visible' });
    expect(await text(page, '#login-error')).toMatch(/wrong token/i);
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(stub.calls).toEqual([]);
    expectedFailure(problems, 401);
  });

  it('logs in with the token and shows the paper bot: status, equity, positions, orders, trades, agents, charts', async () => {
    await page.locator('#token').fill(TOKEN);
    await page.locator('#login-button').click();
    await page.locator('#app[data-loads="1"]').waitFor({ state: 'visible' });
    const { portfolio } = stub.data;
    expect(await text(page, '#mode')).toMatch(/paper/i);
    expect(await text(page, '#entries')).toBe('open');
    expect(await text(page, '#risk-state')).toBe('active');
    expect(await text(page, '#equity')).toBe(portfolio.equity.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    expect(await text(page, '#positions tbody tr[data-symbol="BTC/USDT"] td')).toBe('BTC/USDT');
    expect(await page.locator('#orders tbody tr').count()).toBe(1);
    expect(await text(page, '#orders tbody tr td')).toBe('paper-7');
    expect(await page.locator('#trades tbody tr').count()).toBe(1);
    expect(await page.locator('#agents tbody tr').count()).toBe(stub.data.status.agents.length);
    expect(await page.locator('#symbol option').allInnerTexts()).toEqual(['BTC/USDT', 'ETH/USDT']);
    await page.locator('#equity-chart canvas').first().waitFor();
    await page.locator('#price-chart canvas').first().waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    await page.locator('#symbol').selectOption('ETH/USDT');
    await until('the ETH candles', () => stub.requests.includes('/api/candles?symbol=ETH%2FUSDT&limit=300'));
    await page.locator('#symbol').selectOption('BTC/USDT');
    await until('the live feed to log in', () => stub.liveClients() === 1);
    await until('the page to say it is connected', async () => (await text(page, '#connection')) === 'connected');
  });

  it('updates on a fill without a reload', async () => {
    await page.evaluate('window.__notReloaded = true');
    const price = 2_010;
    const eth: PositionView = { symbol: 'ETH/USDT', qty: 0.25, avgEntry: price, entryTime: Date.now(), lastPrice: price, unrealizedPnl: 0, entryFees: 0.5 };
    // The books as the bot's REST routes would now answer them, and the events it would push.
    stub.data.positions = [...stub.data.positions, eth];
    stub.data.portfolio = { ...stub.data.portfolio, cash: stub.data.portfolio.cash - 503, positions: stub.data.positions };
    stub.data.orders = [];
    stub.push({ type: 'fill', data: { clientOrderId: 'paper-7', symbol: 'ETH/USDT', side: 'buy', qty: 0.25, price, fee: 0.5, reason: 'signal', time: eth.entryTime } });
    stub.push({ type: 'positions', data: stub.data.positions });
    await page.locator('#positions tbody tr[data-symbol="ETH/USDT"]').waitFor();
    await until('the filled order to leave the list', async () => (await page.locator('#orders tbody tr').count()) === 0);
    expect(await text(page, '#log')).toContain('fill: buy 0.25 ETH/USDT');
    // The fill has the page ask for the books again: the new cash shows.
    await until('the books asked again', async () => (await text(page, '#cash')) === '6,497.00');

    stub.push({ type: 'equity', data: { time: Date.now(), equity: 12_345.67 } });
    await until('the equity to move', async () => (await text(page, '#equity')) === '12,345.67');
    stub.push({ type: 'log', data: { level: 'warn', message: 'a <b>bold</b> line', agent: 'trade', time: Date.now() } });
    stub.push({ type: 'alert', data: { rule: 'drawdown', level: 'warning', title: 'Drawdown', message: 'down 5 %', time: Date.now() } });
    stub.push({ type: 'agent', data: { agent: 'analysis', from: 'running', to: 'faulted', error: 'boom' } });
    await until('the log line', async () => (await text(page, '#log')).includes('trade: a <b>bold</b> line'));
    expect(await page.locator('#log b').count()).toBe(0);
    expect(await text(page, '#alerts')).toContain('Drawdown: down 5 %');
    expect(await text(page, '#agents tbody tr[data-agent="analysis"]')).toContain('faulted');
    // A new candle marks the position at its close: live PnL.
    const last = stub.data.candles['BTC/USDT']!.at(-1)!;
    stub.push({ type: 'candle', data: { ...last, time: last.time + 60_000, open: last.close, high: 31_000, low: last.close, close: 31_000 } });
    const btc = page.locator('#positions tbody tr[data-symbol="BTC/USDT"]');
    await until('the BTC position marked at 31000', async () => (await btc.locator('td:nth-child(4)').innerText()) === '31000.00');
    const avgEntry = stub.data.positions[0]!.avgEntry;
    const pnl = (31_000 - avgEntry) * 0.1;
    expect(await btc.locator('td:nth-child(6)').innerText()).toBe((pnl > 0 ? '+' : '') + pnl.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    expect(await page.evaluate('window.__notReloaded')).toBe(true);
  });

  it('pauses entries with the button, and the status says so', async () => {
    await page.locator('#pause').click();
    await until('the pause call', () => stub.calls.some((c) => c.action === 'pause'));
    await until('the status to say paused', async () => (await text(page, '#entries')) === 'paused');
    expect(stub.data.status.entriesPaused).toBe(true);
    expect(await text(page, '#toast')).toContain('entries paused');
    expect(await page.locator('#pause').isDisabled()).toBe(true);
    await page.locator('#resume').click();
    await until('the status to say open', async () => (await text(page, '#entries')) === 'open');
  });

  it('asks before exit-all and stop: dismissed, nothing is sent; accepted, it is', async () => {
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await page.locator('#exit-all').click();
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.locator('#stop').click();
    await page.waitForTimeout(200);
    expect(dialogs).toEqual(['confirm']);
    expect(stub.calls.filter((c) => c.action === 'exit-all' || c.action === 'stop')).toEqual([]);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#exit-all').click();
    await until('the exit-all call', () => stub.calls.some((c) => c.action === 'exit-all'));
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#stop').click();
    await until('the stop call', () => stub.calls.some((c) => c.action === 'stop'));
  });

  it('wires the row buttons and shows a refusal as a sentence', async () => {
    await page.locator('#positions tbody tr[data-symbol="BTC/USDT"] button').click();
    await until('the exit call', () => stub.calls.some((c) => c.action === 'exit' && c.body['symbol'] === 'BTC/USDT'));
    await page.locator('#agents tbody tr[data-agent="data"] button').click();
    await until('the restart call', () => stub.calls.some((c) => c.action === 'restart' && c.body['agent'] === 'data'));
    await until('the restart count', async () => (await text(page, '#agents tbody tr[data-agent="data"] td:nth-child(4)')) === '1');
    await page.locator('#reload-strategies').click();
    await until('the reload call', () => stub.calls.some((c) => c.action === 'reload-strategies'));
    // A position the bot no longer has: its 409 sentence shows.
    stub.data.positions = stub.data.positions.filter((p) => p.symbol !== 'ETH/USDT');
    await page.locator('#positions tbody tr[data-symbol="ETH/USDT"] button').click();
    await until('the refusal', async () => (await text(page, '#toast')).includes('no open position in ETH/USDT'));
    expectedFailure(problems, 409);
  });

  it('made no request off 127.0.0.1, logged no error and tripped no CSP rule; the CSP is enforced', async () => {
    expect(offHost).toEqual([]);
    expect(problems).toEqual([]);
    expect(cspMessages).toEqual([]);
    // An inline script injected now must be refused by the policy, not run.
    const refused = await page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.appendChild(script);
      setTimeout(() => resolve(window.__inlineRan ? 'ran' : 'no report'), 1000);
    })`);
    expect(refused).toMatch(/^script-src/);
  });

  it('reconnects the live feed after it drops, and reloads what it may have missed', async () => {
    const loads = Number(await page.locator('#app').getAttribute('data-loads'));
    stub.dropLive();
    await until('the page to say the feed is down', async () => (await text(page, '#connection')).startsWith('down'));
    await until('the page to log in again', () => stub.liveClients() === 1);
    await page.locator(`#app[data-loads="${loads + 1}"]`).waitFor();
    stub.push({ type: 'equity', data: { time: Date.now(), equity: 12_000.5 } });
    await until('an event on the new socket', async () => (await text(page, '#equity')) === '12,000.50');
  });

  it('goes back to the login when the live feed refuses the token (4401)', async () => {
    stub.refuseLive = true;
    stub.dropLive();
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await text(page, '#login-error')).toMatch(/live feed refused/i);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    stub.refuseLive = false;
  });

  it('goes back to the login when the token stops working', async () => {
    const before = stub.requests.length;
    await page.evaluate(`sessionStorage.setItem('agent-trader.token', 'stale'); location.reload()`);
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await text(page, '#login-error')).toMatch(/wrong token/i);
    expect(stub.requests.length).toBeGreaterThan(before);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });
});
