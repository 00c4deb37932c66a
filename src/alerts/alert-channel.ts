import type { AlertLevel, AlertRaised } from '../bus/topics';

/** Where raised alerts go. `deliver` returns at once (it never waits on I/O); `stop` gives pending sends a grace. */
export interface AlertChannel {
  readonly name: string;
  minLevel: AlertLevel;
  deliver(alert: AlertRaised): void;
  stop(graceMs: number): Promise<void>;
}

/** "title: message", with the held-back count when the alert sums some up. */
export function alertText(alert: AlertRaised, intervalS: number): string {
  const more = alert.suppressed ? ` (and ${alert.suppressed} more like it in the last ${intervalS} s)` : '';
  return `${alert.title}: ${alert.message}${more}`;
}
