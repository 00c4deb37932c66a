import type { Clock } from '../../core/clock';
import { spokenDuration } from '../../core/spoken-duration';
import type { LiveExchange } from './types';

export interface ClockSkew {
  /** Exchange time minus local time: add it to the local clock to estimate the exchange's. */
  skewMs: number;
  roundTripMs: number;
}

/**
 * Measures how far the exchange's clock is from ours with one fetchTime. The exchange read its clock
 * somewhere during the round trip; the middle is the best guess, so the error is at most half the round
 * trip. Undefined when the exchange has no time endpoint.
 */
export async function measureClockSkew(exchange: Pick<LiveExchange, 'fetchTime'>, clock: Clock): Promise<ClockSkew | undefined> {
  const sent = clock.now();
  const exchangeTime = await exchange.fetchTime();
  const received = clock.now();
  if (exchangeTime === undefined || !Number.isFinite(exchangeTime)) return undefined;
  const roundTripMs = received - sent;
  return { skewMs: Math.round(exchangeTime - (sent + roundTripMs / 2)), roundTripMs };
}

/**
 * The start-up warning about a skew past the threshold. `localExchange`, the host of an exchange.baseUrl on
 * this machine, says why a huge skew may be fine: a local fake replaying a recorded market serves that
 * market's old time.
 */
export function clockSkewWarning(skew: ClockSkew, localExchange?: string): string {
  const side = skew.skewMs > 0 ? 'ahead of' : 'behind';
  const measured = `the exchange's clock is ${spokenDuration(skew.skewMs)} ${side} ours (±${Math.ceil(skew.roundTripMs / 2)} ms)`;
  const judged = "candle closes are judged by the exchange's clock";
  if (localExchange === undefined) return `${measured}; ${judged}, but check this machine's time sync`;
  return `${measured}, as expected if exchange.baseUrl (${localExchange}, this machine) is a local exchange replaying a recorded market; ${judged}`;
}
