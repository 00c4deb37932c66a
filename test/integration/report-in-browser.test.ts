import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SimulatedMarket } from '../../src/market/simulated-market';
import type { Candle } from '../../src/market/types';
import { describeWithBrowser, launchChromium } from '../helpers/chromium';
import { runMain } from '../helpers/run-main';

/** report.html in a real browser: headless Chromium from the Debian package (test/helpers/chromium.ts). */
function seededCandles(symbol: string, count: number, seed: number): Candle[] {
  const market = new SimulatedMarket({ seed, symbols: [symbol], timeframe: '1h', startTime: Date.UTC(2023, 0, 1), ticksPerCandle: 4 });
  const candles: Candle[] = [];
  while (candles.length < count) for (const e of market.next()) if (e.kind === 'candle') candles.push(e.candle);
  return candles;
}

describeWithBrowser('report-in-browser')('report.html in headless Chromium', () => {
  let browser: Browser;
  let report: string;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-browser-'));
    const data = path.join(dir, 'BTC_USDT-1h.json');
    fs.writeFileSync(data, JSON.stringify(seededCandles('BTC/USDT', 800, 21).map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume])));
    const out = path.join(dir, 'out');
    const run = await runMain(['backtest', '--strategy', 'sma-cross', '--data', data, '--out', out]);
    expect(run.code).toBe(0);
    report = path.join(out, 'report.html');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders offline with no console error, and its chart canvases are not blank', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // The report must need nothing from the network: every request other than the file itself fails the test.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (problems.push(`network: ${route.request().url()}`), route.abort())));
    await page.goto(`file://${report}`);
    await page.waitForSelector('#equity-chart canvas');
    await page.waitForSelector('#price-chart canvas');
    await page.waitForTimeout(300);

    // A canvas counts as drawn when it holds more than one colour: a blank chart is all background.
    // Browser code as text: the project compiles without the DOM's types.
    const colours = (await page.evaluate(`
      ['#equity-chart', '#price-chart'].map((id) => {
        const canvases = [...document.querySelectorAll(id + ' canvas')];
        const seen = new Set();
        for (const canvas of canvases) {
          if (canvas.width === 0 || canvas.height === 0) continue;
          const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
          if (!pixels) continue;
          for (let i = 0; i < pixels.length && seen.size < 50; i += 4 * 97) seen.add(pixels[i] + ',' + pixels[i + 1] + ',' + pixels[i + 2] + ',' + pixels[i + 3]);
        }
        return { id, canvases: canvases.length, colours: seen.size };
      })
    `)) as Array<{ id: string; canvases: number; colours: number }>;
    expect(problems).toEqual([]);
    for (const chart of colours) {
      expect(chart.canvases).toBeGreaterThan(0);
      expect(chart.colours).toBeGreaterThan(3);
    }
    // The metrics table and the trade list are there too.
    await expect(page.locator('table.trades tbody tr').count()).resolves.toBeGreaterThan(0);
    await page.close();
  });
});
