import type { Clock } from '../../core/clock';
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
