/**
 * Alerts POSTed as JSON to a URL: the alert's fields plus `bot`, signed so the receiver can tell the bot's
 * alerts from anyone else's. X-Bot-Signature is `sha256=` + the hex HMAC-SHA256 of the exact body with the
 * shared secret; X-Bot-Timestamp is the alert's time (ms), which the body (signed) carries too, so a
 * receiver can refuse old replays.
 */
import { createHmac } from 'node:crypto';
import type { AlertLevel, AlertRaised } from '../bus/topics';
import type { AlertChannel } from './alert-channel';
import { HttpSender, type HttpSenderOptions } from './http-sender';

export interface WebhookChannelOptions extends Omit<HttpSenderOptions, 'name' | 'secrets'> {
  url: string;
  secret: string;
  botName: string;
  minLevel: AlertLevel;
}

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookChannel implements AlertChannel {
  readonly name = 'webhook';
  minLevel: AlertLevel;
  readonly sender: HttpSender;

  constructor(private readonly options: WebhookChannelOptions) {
    this.minLevel = options.minLevel;
    this.sender = new HttpSender({ ...options, name: 'webhook', secrets: [options.secret] });
  }

  deliver(alert: AlertRaised): void {
    const body = JSON.stringify({ bot: this.options.botName, ...alert });
    this.sender.send({
      url: this.options.url,
      headers: {
        'content-type': 'application/json',
        'x-bot-signature': signBody(body, this.options.secret),
        'x-bot-timestamp': String(alert.time),
      },
      body,
    });
  }

  stop(graceMs: number): Promise<void> {
    return this.sender.stop(graceMs);
  }
}
