import ccxt, { type Exchange } from 'ccxt';
import { closestKey } from '../config/closest-key';
import { UserError } from '../core/errors';
import { pointCcxtAt } from './point-ccxt-at';

export interface CreateExchangeOptions {
  /** Sends every REST request here instead of the exchange (a local fake exchange, a proxy). */
  baseUrl?: string;
  /** ccxt's per-request timeout; its own default is 10 s. */
  timeoutMs?: number;
}

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

/**
 * A ccxt instance for the exchange `id`, spot markets only, with ccxt's rate limiter on. Spot only because
 * the bot trades spot: left to itself ccxt's loadMarkets also fetches the futures and options markets,
 * three to four requests where one will do, and fails when any of those APIs is down.
 */
export function createExchange(id: string, options: CreateExchangeOptions = {}): Exchange {
  const Class = exchangeClass(id);
  const exchange = new Class({
    enableRateLimit: true,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    options: {
      defaultType: 'spot',
      // The ccxt-wide option (binance, bybit, okx...): which market types loadMarkets fetches.
      fetchMarkets: { types: ['spot'] },
      // binance: margin pairs are private calls; we never trade margin.
      fetchMargins: false,
    },
  });
  if (options.baseUrl !== undefined) {
    if (!/^https?:\/\/[^/]+/i.test(options.baseUrl)) {
      throw new UserError(`--exchange-url "${options.baseUrl}" is not an http(s) URL like http://127.0.0.1:8080`);
    }
    pointCcxtAt(exchange, options.baseUrl);
  }
  return exchange;
}

function exchangeClass(id: string): ExchangeClass {
  const known: readonly string[] = ccxt.exchanges;
  const Class = known.includes(id) ? (ccxt as unknown as Record<string, ExchangeClass | undefined>)[id] : undefined;
  if (typeof Class !== 'function') {
    const guess = closestKey(id, known);
    const hint = guess !== undefined ? `; did you mean ${guess}?` : `, which are: ${known.join(', ')}`;
    throw new UserError(`exchange "${id}" is not one of the ${known.length} exchanges ccxt ${ccxt.version} supports${hint}`);
  }
  return Class;
}
