/**
 * Alerts end to end: a real EventBus, ConfigAgent and MonitorAgent, with the configuration from the
 * environment as a run has it, sending to a local webhook receiver and a local fake of the Telegram Bot API.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AgentContext } from '../../src/agents/base-agent';
import { ConfigAgent } from '../../src/agents/config-agent';
import { MonitorAgent, type MonitorAgentOptions } from '../../src/agents/monitor-agent';
import { Orchestrator } from '../../src/app/orchestrator';
import type { FetchLike } from '../../src/alerts/http-sender';
import { EventBus } from '../../src/bus/event-bus';
import type { AlertRaised } from '../../src/bus/topics';
import { loadConfig } from '../../src/config/load-config';
import { SystemClock, type Clock } from '../../src/core/clock';
import { SimulatedClock } from '../../src/core/simulated-clock';
import { AlertReceiver, closedPortUrl, type Received } from '../helpers/alert-receivers';
import { MemoryLogger } from '../helpers/memory-logger';
import { DEFAULT_CONFIG_FILE } from '../helpers/test-app';

const WEBHOOK_SECRET = 'whsec-4f9d2c71ab';
const TELEGRAM_TOKEN = '7001:tg-8e3b6f5d0c';
const CHAT_ID = '-100424242';

async function startMonitor(env: Record<string, string>, clock: Clock, extras: Partial<NonNullable<MonitorAgentOptions['alerts']>> = {}) {
  const bus = new EventBus({ clock });
  const logger = new MemoryLogger();
  const loaded = loadConfig({ defaultFile: DEFAULT_CONFIG_FILE, env: { BOT_LOG_TO_FILE: 'false', BOT_MONITOR_STATUS_INTERVAL_MS: '0', ...env } });
  const context: AgentContext = { bus, clock, logger };
  const { config } = loaded;
  let orchestrator: Orchestrator | undefined;
  const agents = [
    new ConfigAgent(context, { loaded, reload: () => loaded }),
    new MonitorAgent(context, {
      statuses: () => orchestrator?.statuses() ?? [],
      setLogLevel: () => undefined,
      watchSilence: false,
      // As buildApp hands them over: the real values, which the served configuration does not carry.
      alerts: { secrets: { webhookSecret: config.alerts.webhook.secret, telegramToken: config.alerts.telegram.token, all: loaded.secrets }, ...extras },
    }),
  ];
  orchestrator = new Orchestrator(agents, { bus, logger, timeoutClock: new SystemClock() });
  await orchestrator.startAll();
  const raised: AlertRaised[] = [];
  bus.subscribe('test', 'alert.raised', ({ payload }) => void raised.push(payload));
  return { bus, logger, orchestrator, raised };
}

function signatureValid(request: Received, secret: string): boolean {
  const header = String(request.headers['x-bot-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`;
  return header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}

async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const restarted = (agent: string, reason = 'socket hang up') => ({ agent, attempt: 1, delayMs: 500, reason, dependants: [] });

describe('alerts to a webhook and to Telegram', () => {
  const webhook = new AlertReceiver();
  const telegram = new AlertReceiver();
  let webhookUrl = '';
  let telegramUrl = '';

  beforeAll(async () => {
    webhookUrl = await webhook.listen();
    telegramUrl = await telegram.listen();
    // The fake Bot API answers like the real one: 404 for an unknown token, 400 for a missing chat.
    telegram.answer = (request) => {
      if (request.path !== `/bot${TELEGRAM_TOKEN}/sendMessage`) return { status: 404, body: '{"ok":false,"error_code":404,"description":"Not Found"}' };
      const body = JSON.parse(request.body) as { chat_id?: string; text?: string };
      if (body.chat_id !== CHAT_ID || !body.text) return { status: 400, body: '{"ok":false,"description":"Bad Request: chat not found"}' };
      return { status: 200, body: '{"ok":true,"result":{}}' };
    };
  });
  afterAll(async () => {
    await webhook.close();
    await telegram.close();
  });
  beforeEach(() => {
    webhook.received.length = 0;
    telegram.received.length = 0;
  });

  it('of a storm of 1,000 alike events, send one signed alert and then one summary of the 999 held back, to both', async () => {
    const clock = new SimulatedClock(Date.UTC(2024, 0, 1));
    const { bus, logger, orchestrator, raised } = await startMonitor(
      {
        BOT_ALERTS_WEBHOOK_URL: `${webhookUrl}/hooks/bot`,
        BOT_ALERTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        BOT_ALERTS_TELEGRAM_TOKEN: TELEGRAM_TOKEN,
        BOT_ALERTS_TELEGRAM_CHAT_ID: CHAT_ID,
        BOT_ALERTS_TELEGRAM_BASE_URL: telegramUrl,
        BOT_ALERTS_BOT_NAME: 'bot-east',
      },
      clock,
    );
    for (let i = 0; i < 1000; i++) bus.publish('supervisor', 'agent.restarted', restarted('data', `attempt ${i}`));
    expect(raised).toHaveLength(1);
    await webhook.waitFor(1);
    await telegram.waitFor(1);
    clock.advance(300_000);
    expect(raised).toHaveLength(2);
    expect(raised[1]).toMatchObject({ rule: 'agentRestarted', level: 'warning', suppressed: 999 });
    await webhook.waitFor(2);
    await telegram.waitFor(2);
    await orchestrator.stopAll('test over');

    expect(webhook.received).toHaveLength(2);
    expect(webhook.received.every((r) => r.path === '/hooks/bot' && signatureValid(r, WEBHOOK_SECRET))).toBe(true);
    expect(signatureValid(webhook.received[0]!, 'another-secret')).toBe(false);
    const bodies = webhook.received.map((r) => JSON.parse(r.body) as AlertRaised & { bot: string });
    expect(bodies[0]).toMatchObject({ bot: 'bot-east', rule: 'agentRestarted', level: 'warning', title: 'agent data restarted' });
    expect(bodies[0]?.suppressed).toBeUndefined();
    expect(bodies[1]).toMatchObject({ bot: 'bot-east', suppressed: 999 });
    expect(bodies[1]?.message).toContain('attempt 999');
    expect(webhook.received[0]!.headers['x-bot-timestamp']).toBe(String(bodies[0]!.time));

    expect(telegram.received.map((r) => r.path)).toEqual([`/bot${TELEGRAM_TOKEN}/sendMessage`, `/bot${TELEGRAM_TOKEN}/sendMessage`]);
    const texts = telegram.received.map((r) => (JSON.parse(r.body) as { chat_id: string; text: string }).text);
    expect(texts[0]).toMatch(/^\[bot-east\] WARNING agent data restarted: /);
    expect(texts[1]).toContain('(and 999 more like it in the last 300 s)');
    const logged = logger.messages().join('\n');
    expect(logged).not.toContain(WEBHOOK_SECRET);
    expect(logged).not.toContain(TELEGRAM_TOKEN);
    expect(logger.messages('warn').filter((m) => m.startsWith('alert agentRestarted'))).toHaveLength(2);
  });

  it('sends only the levels each channel asks for, and scrubs secrets from the alert texts', async () => {
    const clock = new SimulatedClock(Date.UTC(2024, 0, 1));
    const { bus, logger, orchestrator, raised } = await startMonitor(
      {
        BOT_ALERTS_WEBHOOK_URL: webhookUrl,
        BOT_ALERTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        BOT_ALERTS_WEBHOOK_MIN_LEVEL: 'critical',
        BOT_ALERTS_RULES: '{"fill": {"enabled": true}}',
      },
      clock,
    );
    bus.publish('supervisor', 'agent.restarted', restarted('trade'));
    bus.publish('trade', 'agent.state', { agent: 'trade', from: 'running', to: 'faulted', error: `auth failed with key ${WEBHOOK_SECRET}` });
    await webhook.waitFor(1);
    await orchestrator.stopAll('test over');
    expect(raised.map((a) => a.rule)).toEqual(['agentRestarted', 'agentFaulted']);
    expect(webhook.received).toHaveLength(1);
    const body = JSON.parse(webhook.received[0]!.body) as AlertRaised;
    expect(body).toMatchObject({ rule: 'agentFaulted', level: 'critical' });
    expect(body.message).toContain('auth failed with key [REDACTED]');
    expect(JSON.stringify(raised)).not.toContain(WEBHOOK_SECRET);
    expect(logger.messages().join('\n')).not.toContain(WEBHOOK_SECRET);
  });

  it('keeps publishing at full speed while a slow receiver holds its first request, bounding the queue', async () => {
    webhook.hold = true;
    const clock = new SystemClock();
    const { bus, logger, orchestrator, raised } = await startMonitor({ BOT_ALERTS_WEBHOOK_URL: webhookUrl, BOT_ALERTS_WEBHOOK_SECRET: WEBHOOK_SECRET, BOT_ALERTS_WEBHOOK_TIMEOUT_MS: '10000' }, clock);
    bus.publish('supervisor', 'agent.restarted', restarted('first'));
    await webhook.waitFor(1);
    expect(webhook.holding).toBe(1);
    // 1,000 distinct alerts (one per agent, so none is rate limited) while the first is still unanswered.
    for (let i = 0; i < 1000; i++) bus.publish('supervisor', 'agent.restarted', restarted(`agent-${i}`));
    expect(raised).toHaveLength(1001);
    expect(webhook.holding).toBe(1);
    expect(webhook.received).toHaveLength(1);
    // Only the newest 100 wait; the rest were dropped, which is said once.
    expect(logger.messages('warn').filter((m) => m.includes('dropping the oldest'))).toHaveLength(1);
    webhook.release();
    await webhook.waitFor(101);
    const names = webhook.received.map((r) => (JSON.parse(r.body) as AlertRaised).title);
    expect(names[1]).toBe('agent agent-900 restarted');
    expect(names[100]).toBe('agent agent-999 restarted');
    await orchestrator.stopAll('test over');
    expect(logger.messages('warn')).toContain('webhook: 101 alerts sent, 0 failed, 900 dropped');
  });

  it('retries a receiver that is down with doubling backoff, never holding up a publish, then gives up', async () => {
    const down = await closedPortUrl();
    const attempts: number[] = [];
    const counting: FetchLike = (url, init) => {
      attempts.push(Date.now());
      return (globalThis.fetch as unknown as FetchLike)(url, init);
    };
    const clock = new SystemClock();
    const { bus, logger, orchestrator, raised } = await startMonitor(
      { BOT_ALERTS_WEBHOOK_URL: `${down}/hook`, BOT_ALERTS_WEBHOOK_SECRET: WEBHOOK_SECRET, BOT_ALERTS_WEBHOOK_RETRIES: '3' },
      clock,
      { fetch: counting, backoffMs: 40 },
    );
    bus.publish('supervisor', 'system.safeMode', { agent: 'trade', reason: 'keeps faulting', restarts: 4, windowS: 60 });
    for (let i = 0; i < 1000; i++) bus.publish('portfolio', 'portfolio.marked', { time: clock.now(), equity: 10_000 + i, positionsValue: 0 });
    // Every publish returned before the first attempt could even fail.
    expect(raised).toHaveLength(1);
    expect(attempts).toHaveLength(1);
    expect(logger.messages('warn').filter((m) => m.startsWith('webhook'))).toEqual([]);
    await until(() => logger.messages('warn').some((m) => m.startsWith('webhook: could not send')));
    expect(attempts).toHaveLength(4);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(39);
    expect(gaps[1]).toBeGreaterThanOrEqual(79);
    expect(gaps[2]).toBeGreaterThanOrEqual(159);
    expect(logger.messages('debug').filter((m) => m.includes('retrying in')).map((m) => m.replace(/.*retrying in /, ''))).toEqual(['40 ms', '80 ms', '160 ms']);
    expect(logger.messages('warn').find((m) => m.startsWith('webhook: could not send'))).toMatch(/after 4 attempts: fetch failed: .*ECONNREFUSED/);
    await orchestrator.stopAll('test over');
  });

  it('does not retry a 4xx, and never shows the Telegram token, not even in an error that quotes the URL', async () => {
    const calls: string[] = [];
    const quoting: FetchLike = (url) => {
      calls.push(url);
      return Promise.reject(new TypeError(`Failed to parse URL from ${url}`));
    };
    const clock = new SystemClock();
    const quoted = await startMonitor(
      { BOT_ALERTS_TELEGRAM_TOKEN: TELEGRAM_TOKEN, BOT_ALERTS_TELEGRAM_CHAT_ID: CHAT_ID, BOT_ALERTS_TELEGRAM_BASE_URL: telegramUrl, BOT_ALERTS_WEBHOOK_RETRIES: '0' },
      clock,
      { fetch: quoting },
    );
    quoted.bus.publish('supervisor', 'system.safeMode', { agent: 'trade', reason: 'x', restarts: 4, windowS: 60 });
    await until(() => quoted.logger.messages('warn').some((m) => m.startsWith('telegram:')));
    await quoted.orchestrator.stopAll('test over');
    expect(calls).toEqual([`${telegramUrl}/bot${TELEGRAM_TOKEN}/sendMessage`]);
    const failure = quoted.logger.messages('warn').find((m) => m.startsWith('telegram: could not send'));
    expect(failure).toBe(`telegram: could not send an alert after 1 attempt: Failed to parse URL from ${telegramUrl}/bot[REDACTED]/sendMessage`);

    // A chat the fake does not know: 400, which no retry would fix.
    const wrongChat = await startMonitor(
      { BOT_ALERTS_TELEGRAM_TOKEN: TELEGRAM_TOKEN, BOT_ALERTS_TELEGRAM_CHAT_ID: '-1', BOT_ALERTS_TELEGRAM_BASE_URL: telegramUrl },
      clock,
      { backoffMs: 10 },
    );
    wrongChat.bus.publish('supervisor', 'system.safeMode', { agent: 'trade', reason: 'x', restarts: 4, windowS: 60 });
    await telegram.waitFor(1);
    await until(() => wrongChat.logger.messages('warn').some((m) => m.startsWith('telegram:')));
    await new Promise((r) => setTimeout(r, 100));
    expect(telegram.received).toHaveLength(1);
    expect(wrongChat.logger.messages('warn').find((m) => m.startsWith('telegram:'))).toMatch(/^telegram: could not send an alert \(not retried\): HTTP 400: .*chat not found/);
    await wrongChat.orchestrator.stopAll('test over');
    for (const { logger } of [quoted, wrongChat]) expect(logger.messages().join('\n')).not.toContain(TELEGRAM_TOKEN);
  });

  it('gives pending sends a short grace at stop, then drops them, so a hung receiver cannot hold the shutdown', async () => {
    webhook.hold = true;
    const clock = new SystemClock();
    const { bus, logger, orchestrator } = await startMonitor({ BOT_ALERTS_WEBHOOK_URL: webhookUrl, BOT_ALERTS_WEBHOOK_SECRET: WEBHOOK_SECRET, BOT_ALERTS_WEBHOOK_TIMEOUT_MS: '60000' }, clock);
    bus.publish('supervisor', 'agent.restarted', restarted('a'));
    bus.publish('supervisor', 'agent.restarted', restarted('b'));
    await webhook.waitFor(1);
    const started = Date.now();
    await orchestrator.stopAll('test over');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(webhook.received).toHaveLength(1);
    expect(logger.messages('warn')).toContain('webhook: 0 alerts sent, 0 failed, 2 dropped');
    webhook.release();
  });
});
