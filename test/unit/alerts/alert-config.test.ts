import { resolveAlertRules } from '../../../src/alerts/alert-settings';
import { alertChannelsProblem } from '../../../src/alerts/alert-service';
import { loadConfig } from '../../../src/config/load-config';
import { ConfigError } from '../../../src/core/errors';
import { DEFAULT_CONFIG_FILE } from '../../helpers/test-app';

const load = (env: Record<string, string>) => loadConfig({ defaultFile: DEFAULT_CONFIG_FILE, env: { BOT_LOG_TO_FILE: 'false', ...env } });

function refusal(env: Record<string, string>): string {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('alerts configuration', () => {
  it('merges a rule the user changed over its defaults and keeps the others', () => {
    const { config } = load({ BOT_ALERTS_RULES: '{"drawdown": {"pct": 15}, "fill": {"enabled": true}}' });
    const rules = resolveAlertRules(config.alerts.rules);
    expect(rules.drawdown).toEqual({ enabled: true, level: 'critical', pct: 15 });
    expect(rules.fill).toEqual({ enabled: true, level: 'info' });
    expect(rules.ordersRejected).toEqual({ enabled: true, level: 'warning', count: 5, windowMin: 10 });
  });

  it.each([
    ['an unknown rule', '{"drawdwn": {"pct": 15}}', /^Invalid value .* for alerts\.rules from environment variable BOT_ALERTS_RULES: has no rule "drawdwn"; the rules are agentFaulted, .*drawdown/],
    ['a bad threshold', '{"drawdown": {"pct": 0}}', /^Invalid value 0 for alerts\.rules\.drawdown\.pct from environment variable BOT_ALERTS_RULES: must be a number greater than 0 and at most 100\.$/],
    ['a bad level', '{"fill": {"level": "loud"}}', /for alerts\.rules\.fill\.level .*: must be one of "info", "warning" or "critical"\.$/],
    ['a field the rule does not take', '{"fill": {"pct": 3}}', /for alerts\.rules\.fill .*: has no setting "pct"; fill takes enabled, level\.$/],
    ['a window that is no integer', '{"ordersRejected": {"windowMin": 1.5}}', /for alerts\.rules\.ordersRejected\.windowMin .*: must be an integer from 1 to 525600\.$/],
    ['text that is no JSON', '{drawdown', /for alerts\.rules .*: must be a JSON object of rule names/],
  ])('refuses %s in one sentence naming the key', (_name, rules, expected) => {
    const message = refusal({ BOT_ALERTS_RULES: rules });
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/[\r\n]/);
  });

  it('takes the webhook secret and the Telegram token from the environment only, and never shows them', () => {
    const { config, secrets } = load({ BOT_ALERTS_WEBHOOK_SECRET: 'whsec-51c0ffee', BOT_ALERTS_TELEGRAM_TOKEN: '123:tg-token-9a8b' });
    expect(config.alerts.webhook.secret).toBe('whsec-51c0ffee');
    expect(secrets).toEqual(expect.arrayContaining(['whsec-51c0ffee', '123:tg-token-9a8b']));
    const message = refusal({ BOT_ALERTS_WEBHOOK_RETRIES: '11', BOT_ALERTS_WEBHOOK_SECRET: 'whsec-51c0ffee' });
    expect(message).toMatch(/alerts\.webhook\.retries .*: must be an integer from 0 to 10\./);
  });

  it('refuses an unsigned webhook, a bad URL and a token without a chat, naming the variable to set', () => {
    const { config } = load({ BOT_ALERTS_WEBHOOK_URL: 'http://127.0.0.1:9/hook', BOT_ALERTS_TELEGRAM_CHAT_ID: '' });
    const none = { webhookSecret: '', telegramToken: '' };
    expect(alertChannelsProblem(config.alerts, none)).toBe(
      'alerts.webhook.url is set but BOT_ALERTS_WEBHOOK_SECRET is empty: set it to the key the receiver checks X-Bot-Signature with (unsigned webhooks are refused)',
    );
    expect(alertChannelsProblem(config.alerts, { webhookSecret: 's', telegramToken: '' })).toBeUndefined();
    expect(alertChannelsProblem(config.alerts, { webhookSecret: 's', telegramToken: 't' })).toMatch(/^BOT_ALERTS_TELEGRAM_TOKEN is set but alerts\.telegram\.chatId is empty/);
    const ftp = load({ BOT_ALERTS_WEBHOOK_URL: 'ftp://example.com/x' }).config;
    expect(alertChannelsProblem(ftp.alerts, { webhookSecret: 's', telegramToken: '' })).toBe('alerts.webhook.url "ftp://example.com/x" is not an http or https URL');
  });
});
