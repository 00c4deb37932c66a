import { closestKey } from '../config/closest-key';
import { UserError } from '../core/errors';

/** After loadMarkets: every symbol must be a market of the exchange. */
export function checkListed(exchange: { readonly id: string; readonly markets: Record<string, unknown> | undefined }, symbols: readonly string[]): void {
  const listed = Object.keys(exchange.markets ?? {});
  for (const symbol of symbols) {
    if (listed.includes(symbol)) continue;
    const guess = closestKey(symbol, listed);
    const hint = guess !== undefined ? `; did you mean ${guess}?` : '';
    throw new UserError(`symbol "${symbol}" is not listed on ${exchange.id} (${listed.length} spot markets)${hint}`);
  }
}

/** The exchange must offer candles of this timeframe; ccxt lists those it knows in `timeframes`. */
export function checkTimeframe(exchange: { readonly id: string; readonly timeframes?: Record<string, unknown> | undefined }, timeframe: string): void {
  const offered = Object.keys(exchange.timeframes ?? {});
  if (offered.length > 0 && !offered.includes(timeframe)) {
    throw new UserError(`${exchange.id} has no ${timeframe} candles; it offers ${offered.join(', ')}`);
  }
}
