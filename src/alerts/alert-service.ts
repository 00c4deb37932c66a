/**
 * Alerting, tied together: messages go through the rules, what they raise through the rate limit, and what
 * passes is published (`alert.raised`, through the callback the agent gives) and handed to every channel
 * whose minimum level it reaches. `consume` is synchronous and cheap; channels only queue. Two clock timers
 * at most, set only when needed: the rate limit's next summary and the exchange-down check.
 */
import type { AlertRaised, EventTopics } from '../bus/topics';
import type { BotConfig } from '../config/schema';
import type { Clock, Timer } from '../core/clock';
import { errorMessage, UserError } from '../core/errors';
import type { Logger } from '../logging/logger';
import { Redactor } from '../logging/redactor';
import type { AlertChannel } from './alert-channel';
import { AlertRuleSet, type AlertCandidate, type AlertInputTopic } from './alert-rules';
import { atLeast, resolveAlertRules } from './alert-settings';
import type { FetchLike } from './http-sender';
import { LogChannel } from './log-channel';
import { RateLimiter, type Limited } from './rate-limit';
import { TelegramChannel } from './telegram-channel';
import { WebhookChannel } from './webhook-channel';

export type AlertsSettings = BotConfig['alerts'];

/** The real values of the secrets: the served configuration has them redacted. */
export interface AlertSecrets {
  webhookSecret: string;
  telegramToken: string;
  /** Every secret of the configuration, scrubbed from alert texts (an agent's error may quote one). */
  all: readonly string[];
}

export interface AlertServiceOptions {
  settings: AlertsSettings;
  secrets: AlertSecrets;
  clock: Clock;
  log: Logger;
  publish: (alert: AlertRaised) => void;
  /** Tests: a stand-in for the global fetch, a shorter first backoff. */
  fetch?: FetchLike;
  backoffMs?: number;
  /** How long pending sends may take at stop; 2 s. */
  stopGraceMs?: number;
}

export const STOP_GRACE_MS = 2000;

function httpUrlProblem(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol !== 'http:' && protocol !== 'https:';
  } catch {
    return true;
  }
}

/** A channel set up so it cannot work, as one sentence; undefined when the channels are fine. */
export function alertChannelsProblem(settings: AlertsSettings, secrets: Pick<AlertSecrets, 'webhookSecret' | 'telegramToken'>): string | undefined {
  const { webhook, telegram } = settings;
  if (webhook.url !== '') {
    if (httpUrlProblem(webhook.url)) return `alerts.webhook.url ${JSON.stringify(webhook.url)} is not an http or https URL`;
    if (secrets.webhookSecret === '') {
      return 'alerts.webhook.url is set but BOT_ALERTS_WEBHOOK_SECRET is empty: set it to the key the receiver checks X-Bot-Signature with (unsigned webhooks are refused)';
    }
  }
  if (secrets.telegramToken !== '') {
    if (telegram.chatId.trim() === '') return 'BOT_ALERTS_TELEGRAM_TOKEN is set but alerts.telegram.chatId is empty: set it to the chat the alerts go to';
    if (httpUrlProblem(telegram.baseUrl)) return `alerts.telegram.baseUrl ${JSON.stringify(telegram.baseUrl)} is not an http or https URL`;
  }
  return undefined;
}

export class AlertService {
  private settings: AlertsSettings;
  private readonly rules: AlertRuleSet;
  private readonly limiter: RateLimiter<AlertCandidate>;
  private readonly channels: AlertChannel[] = [];
  private readonly scrubber: Redactor;
  private summary: { at: number; timer: Timer } | undefined;
  private dueCheck: { at: number; timer: Timer } | undefined;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: AlertServiceOptions) {
    const problem = alertChannelsProblem(options.settings, options.secrets);
    if (problem !== undefined) throw new UserError(problem);
    this.settings = options.settings;
    this.rules = new AlertRuleSet(resolveAlertRules(this.settings.rules));
    this.limiter = new RateLimiter(this.settings.minIntervalS * 1000);
    this.scrubber = new Redactor(options.secrets.all);
    const { clock, log, fetch, backoffMs } = options;
    const intervalS = (): number => this.settings.minIntervalS;
    const delivery = { clock, log, ...(fetch ? { fetch } : {}), ...(backoffMs !== undefined ? { backoffMs } : {}) };
    this.channels.push(new LogChannel(log, this.settings.log.minLevel, intervalS));
    const { webhook, telegram, botName } = this.settings;
    if (webhook.url !== '') {
      this.channels.push(
        new WebhookChannel({ ...delivery, url: webhook.url, secret: options.secrets.webhookSecret, botName, minLevel: webhook.minLevel, timeoutMs: webhook.timeoutMs, retries: webhook.retries }),
      );
    }
    if (options.secrets.telegramToken !== '') {
      this.channels.push(
        new TelegramChannel({
          ...delivery,
          baseUrl: telegram.baseUrl,
          token: options.secrets.telegramToken,
          chatId: telegram.chatId,
          botName,
          minLevel: telegram.minLevel,
          intervalS,
          timeoutMs: webhook.timeoutMs,
          retries: webhook.retries,
        }),
      );
    }
  }

  /** The channels alerts go to, by name: "log", "webhook", "telegram". */
  get channelNames(): string[] {
    return this.channels.map((c) => c.name);
  }

  /** Feeds one message to the rules; synchronous, and nearly free when nothing is raised. */
  consume<K extends AlertInputTopic>(topic: K, payload: EventTopics[K]): void {
    if (this.stopped) return;
    const now = this.options.clock.now();
    const raised = this.rules.consume(topic, payload, now);
    for (let i = 0; i < raised.length; i++) this.offer(raised[i] as AlertCandidate, now);
    if (topic === 'exchange.connection') this.scheduleDueCheck(now);
  }

  /** A reload: the rules' thresholds and levels, the interval and the channels' levels. The channels themselves stay. */
  reconfigure(settings: AlertsSettings): void {
    this.settings = settings;
    this.rules.setRules(resolveAlertRules(settings.rules));
    this.limiter.setInterval(settings.minIntervalS * 1000);
    for (const channel of this.channels) {
      if (channel.name === 'log') channel.minLevel = settings.log.minLevel;
      if (channel.name === 'webhook') channel.minLevel = settings.webhook.minLevel;
      if (channel.name === 'telegram') channel.minLevel = settings.telegram.minLevel;
    }
    const now = this.options.clock.now();
    this.scheduleDueCheck(now);
  }

  /** Stops raising; pending sends get the grace, then are dropped. Nothing is left to keep the process up. */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    this.stopped = true;
    this.summary?.timer.cancel();
    this.dueCheck?.timer.cancel();
    this.summary = undefined;
    this.dueCheck = undefined;
    await Promise.all(this.channels.map((c) => c.stop(this.options.stopGraceMs ?? STOP_GRACE_MS)));
  }

  private offer(candidate: AlertCandidate, now: number): void {
    const passed = this.limiter.offer(candidate.key, candidate, now);
    if (passed) this.emit(passed, now);
    else this.scheduleSummary(now);
  }

  private emit({ item, suppressed }: Limited<AlertCandidate>, now: number): void {
    const alert: AlertRaised = {
      rule: item.rule,
      level: item.level,
      title: this.scrub(item.title),
      message: this.scrub(item.message),
      time: now,
      ...(suppressed > 0 ? { suppressed } : {}),
    };
    this.options.publish(alert);
    for (const channel of this.channels) {
      if (!atLeast(alert.level, channel.minLevel)) continue;
      try {
        channel.deliver(alert);
      } catch (err) {
        this.options.log.warn(this.scrub(`alert channel ${channel.name} failed: ${errorMessage(err)}`));
      }
    }
  }

  private scrub(text: string): string {
    return this.scrubber.active ? this.scrubber.redact(text) : text;
  }

  private scheduleSummary(now: number): void {
    const at = this.limiter.nextDueAt();
    if (at === undefined || (this.summary && this.summary.at <= at)) return;
    this.summary?.timer.cancel();
    const timer = this.options.clock.setTimeout(() => this.sendSummaries(), Math.max(0, at - now), { keepAlive: false });
    this.summary = { at, timer };
  }

  private sendSummaries(): void {
    this.summary = undefined;
    if (this.stopped) return;
    const now = this.options.clock.now();
    for (const summary of this.limiter.flush(now)) this.emit(summary, now);
    this.scheduleSummary(now);
  }

  private scheduleDueCheck(now: number): void {
    const at = this.rules.nextDueAt();
    if (this.dueCheck && (at === undefined || at < this.dueCheck.at)) {
      this.dueCheck.timer.cancel();
      this.dueCheck = undefined;
    }
    if (at === undefined || this.dueCheck) return;
    const timer = this.options.clock.setTimeout(
      () => {
        this.dueCheck = undefined;
        if (this.stopped) return;
        const checked = this.options.clock.now();
        for (const candidate of this.rules.due(checked)) this.offer(candidate, checked);
        this.scheduleDueCheck(checked);
      },
      Math.max(0, at - now),
      { keepAlive: false },
    );
    this.dueCheck = { at, timer };
  }
}
