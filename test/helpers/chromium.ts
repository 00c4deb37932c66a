import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Headless Chromium for the in-browser tests: the Debian package (`apt-get install chromium`; .ci/run installs
 * it) driven by playwright-core, never a browser download. Without Chromium a suite is skipped with a warning
 * on a developer's machine, and fails where BOT_REQUIRE_BROWSER=1 (CI): its beforeAll calls requireChromium().
 */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const required = process.env['BOT_REQUIRE_BROWSER'] === '1';

/** `describe`, or `describe.skip` (with a warning naming the suite) when there is no Chromium and none is required. */
export function describeWithBrowser(suite: string): jest.Describe {
  if (haveChromium || required) return describe;
  // eslint-disable-next-line no-console
  console.warn(`${suite}: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return describe.skip;
}

// Flags that keep Chromium off the network on its own account (updates, sync, QUIC probes): the machine's
// closed network refuses them, and a test must not depend on the internet either way.
export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`BOT_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What a page did that a test of it forbids: console errors and page errors, CSP messages, requests off 127.0.0.1. */
export interface PageWatch {
  problems: string[];
  cspMessages: string[];
  offHost: string[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { problems: [], cspMessages: [], offHost: [] };
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) watch.cspMessages.push(message.text());
    if (message.type() === 'error') watch.problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') watch.offHost.push(request.url());
  });
  return watch;
}
