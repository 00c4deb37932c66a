import type { Exchange } from 'ccxt';
import { createExchange } from '../../src/exchange/create-exchange';

/**
 * ccxt's own binance class, pointed at a fake exchange: nothing in ccxt is mocked, only its REST URLs
 * are rewritten (exactly what `--exchange-url` does in the bot). The short timeout keeps timeout tests short.
 */
export function ccxtFor(url: string, options: { timeoutMs?: number } = {}): Exchange {
  return createExchange('binance', { baseUrl: url, timeoutMs: options.timeoutMs ?? 2000 });
}
