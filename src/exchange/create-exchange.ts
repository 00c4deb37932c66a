import http from 'node:http';
import ccxt, { type Exchange } from 'ccxt';
import { closestKey } from '../config/closest-key';
import type { BotConfig } from '../config/schema';
import { UserError } from '../core/errors';
import { pointCcxtAt, pointCcxtWsAt, wsUrlFor } from './point-ccxt-at';
import { quietWsFutures } from './quiet-ws-futures';

export interface CreateExchangeOptions {
  /** Sends every REST request here instead of the exchange (a local fake exchange, a proxy). */
  baseUrl?: string;
  /** ccxt's per-request timeout; its own default is 10 s. */
  timeoutMs?: number;
  /** ccxt pro (websocket watch methods) instead of the REST-only class. */
  pro?: boolean;
  /** Streams go here instead of the exchange; defaults to the ws:// twin of `baseUrl` when that is given. */
  wsUrl?: string;
  /** The exchange's testnet (ccxt's sandbox mode). */
  sandbox?: boolean;
  /**
   * API keys: only live trading passes them. Without them the instance cannot sign a request, so paper
   * trading on live data cannot reach a private endpoint even by mistake.
   */
  credentials?: { apiKey: string; secret: string; password?: string };
}

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

/**
 * A ccxt instance for the exchange `id`, spot markets only, with ccxt's rate limiter on. Spot only because
 * the bot trades spot: left to itself ccxt's loadMarkets also fetches the futures and options markets,
 * three to four requests where one will do, and fails when any of those APIs is down.
 */
export function createExchange(id: string, options: CreateExchangeOptions = {}): Exchange {
  const Class = exchangeClass(id, options.pro === true);
  const { credentials } = options;
  const exchange = new Class({
    enableRateLimit: true,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    ...(credentials ? { apiKey: credentials.apiKey, secret: credentials.secret, ...(credentials.password ? { password: credentials.password } : {}) } : {}),
    options: {
      defaultType: 'spot',
      // The ccxt-wide option (binance, bybit, okx...): which market types loadMarkets fetches.
      fetchMarkets: { types: ['spot'] },
      // binance: margin pairs are private calls; we never trade margin.
      fetchMargins: false,
      // binance: signed requests older than this are refused. Binance recommends 5 s or less (ccxt uses 10);
      // it also bounds how long an order whose send failed can stay of unknown outcome.
      recvWindow: 5000,
    },
  });
  if (options.pro === true) quietWsFutures(exchange);
  // ccxt's rule: sandbox mode first, since it swaps every URL for the testnet's.
  if (options.sandbox === true) exchange.setSandboxMode(true);
  if (options.baseUrl !== undefined && options.baseUrl !== '') {
    if (!/^https?:\/\/[^/]+/i.test(options.baseUrl)) {
      throw new UserError(`--exchange-url "${options.baseUrl}" is not an http(s) URL like http://127.0.0.1:8080`);
    }
    pointCcxtAt(exchange, options.baseUrl);
  }
  const wsUrl = options.wsUrl !== undefined && options.wsUrl !== '' ? options.wsUrl : options.baseUrl ? wsUrlFor(options.baseUrl) : undefined;
  if (wsUrl !== undefined) {
    if (!/^wss?:\/\/[^/]+/i.test(wsUrl)) throw new UserError(`exchange.wsUrl "${wsUrl}" is not a ws(s) URL like ws://127.0.0.1:8080`);
    pointCcxtWsAt(exchange, wsUrl);
    // ccxt refuses plain ws:// URLs ("use proxy with non-ssl ws:// urls") until it has an http.Agent for them.
    if (/^ws:/i.test(wsUrl)) exchange.httpAgent = new http.Agent();
  }
  return exchange;
}

function exchangeClass(id: string, pro: boolean): ExchangeClass {
  const known: readonly string[] = ccxt.exchanges;
  // Exchanges without websockets have no pro class: they run on the REST class and are polled.
  const proClass = pro ? (ccxt.pro as unknown as Record<string, ExchangeClass | undefined>)[id] : undefined;
  const Class = proClass ?? (known.includes(id) ? (ccxt as unknown as Record<string, ExchangeClass | undefined>)[id] : undefined);
  if (typeof Class !== 'function') {
    const guess = closestKey(id, known);
    const hint = guess !== undefined ? `; did you mean ${guess}?` : `, which are: ${known.join(', ')}`;
    throw new UserError(`exchange "${id}" is not one of the ${known.length} exchanges ccxt ${ccxt.version} supports${hint}`);
  }
  return Class;
}

/**
 * The exchange `exchange.*` of the configuration describes (name, URLs, sandbox, timeout), for every part
 * of the bot that talks to it. Keys are passed only by live trading: `withKeys`.
 */
export function exchangeFromConfig(settings: BotConfig['exchange'], options: { pro: boolean; withKeys?: boolean }): Exchange {
  return createExchange(settings.name, {
    pro: options.pro,
    baseUrl: settings.baseUrl,
    wsUrl: settings.wsUrl,
    sandbox: settings.sandbox,
    timeoutMs: settings.timeoutMs,
    ...(options.withKeys === true ? { credentials: { apiKey: settings.apiKey, secret: settings.secret, password: settings.password } } : {}),
  });
}
