/**
 * Alerts as Telegram messages through the Bot API: POST `<baseUrl>/bot<token>/sendMessage` with
 * {chat_id, text}. Plain text (no parse_mode), so nothing in an alert needs escaping. The URL holds the
 * token: the sender scrubs it from every line it logs.
 */
import type { AlertLevel, AlertRaised } from '../bus/topics';
import { alertText, type AlertChannel } from './alert-channel';
import { HttpSender, type HttpSenderOptions } from './http-sender';

export interface TelegramChannelOptions extends Omit<HttpSenderOptions, 'name' | 'secrets'> {
  baseUrl: string;
  token: string;
  chatId: string;
  botName: string;
  minLevel: AlertLevel;
  intervalS: () => number;
}

const MARK: Readonly<Record<AlertLevel, string>> = { critical: 'CRITICAL', warning: 'WARNING', info: 'info' };

export class TelegramChannel implements AlertChannel {
  readonly name = 'telegram';
  minLevel: AlertLevel;
  readonly sender: HttpSender;
  private readonly url: string;

  constructor(private readonly options: TelegramChannelOptions) {
    this.minLevel = options.minLevel;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/bot${options.token}/sendMessage`;
    this.sender = new HttpSender({ ...options, name: 'telegram', secrets: [options.token] });
  }

  deliver(alert: AlertRaised): void {
    const text = `[${this.options.botName}] ${MARK[alert.level]} ${alertText(alert, this.options.intervalS())}`;
    this.sender.send({
      url: this.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: this.options.chatId, text }),
    });
  }

  stop(graceMs: number): Promise<void> {
    return this.sender.stop(graceMs);
  }
}
