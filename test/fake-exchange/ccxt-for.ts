import { pro, type Exchange } from 'ccxt';
import { createExchange } from '../../src/exchange/create-exchange';

export interface CcxtForOptions {
  timeoutMs?: number;
  /** Credentials for the signed endpoints: the fake's `apiKey` and `secret` (or wrong ones, to test refusals). */
  apiKey?: string;
  secret?: string;
}

/**
 * ccxt's own binance class, pointed at a fake exchange: nothing in ccxt is mocked, only its REST URLs
 * are rewritten (exactly what `--exchange-url` does in the bot). The short timeout keeps timeout tests short.
 */
export function ccxtFor(url: string, options: CcxtForOptions = {}): Exchange {
  const exchange = createExchange('binance', { baseUrl: url, timeoutMs: options.timeoutMs ?? 2000 });
  if (options.apiKey !== undefined) exchange.apiKey = options.apiKey;
  if (options.secret !== undefined) exchange.secret = options.secret;
  return exchange;
}

export type ProBinance = InstanceType<typeof pro.binance>;

export interface CcxtProForOptions extends CcxtForOptions {
  /**
   * ccxt's WebSocket ping interval; a socket whose pongs stop for two of them is a RequestTimeout. Binance's
   * class says 3 minutes; a test of a stalled stream sets a short one.
   */
  keepAliveMs?: number;
}

/**
 * ccxt.pro's binance class pointed at a fake exchange, REST and WebSocket. ccxt.pro keeps its socket URLs
 * under urls.api.ws: the market streams under 'spot' (it connects to <spot>/<n> and SUBSCRIBEs there) and
 * the WebSocket API under ws-api.spot, where spot's user data stream lives (userDataStream.subscribe.signature).
 * Spot markets only, as createExchange does, and the same REST rewriting. Close it with `await exchange.close()`.
 */
export function ccxtProFor(url: string, options: CcxtProForOptions = {}): ProBinance {
  // The bot's own factory, so tests exercise the URL rewriting --exchange-url does.
  const exchange = createExchange('binance', { pro: true, baseUrl: url, timeoutMs: options.timeoutMs ?? 2000 }) as ProBinance;
  if (options.apiKey !== undefined) exchange.apiKey = options.apiKey;
  if (options.secret !== undefined) exchange.secret = options.secret;
  if (options.keepAliveMs !== undefined) exchange.streaming = { ...exchange.streaming, keepAlive: options.keepAliveMs };
  return exchange;
}
