import type { AlertLevel, AlertRaised } from '../bus/topics';
import type { Logger } from '../logging/logger';
import { alertText, type AlertChannel } from './alert-channel';

const LOG_AT = { critical: 'error', warning: 'warn', info: 'info' } as const;

/** Alerts as log lines: critical as errors, warnings as warnings, info as info. */
export class LogChannel implements AlertChannel {
  readonly name = 'log';

  constructor(
    private readonly log: Logger,
    public minLevel: AlertLevel,
    private readonly intervalS: () => number,
  ) {}

  deliver(alert: AlertRaised): void {
    this.log[LOG_AT[alert.level]](`alert ${alert.rule} (${alert.level}): ${alertText(alert, this.intervalS())}`);
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
