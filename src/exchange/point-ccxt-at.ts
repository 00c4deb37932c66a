/** The parts of a ccxt instance whose URLs we rewrite; ccxt keeps every REST base URL under `urls.api`. */
export interface HasCcxtUrls {
  urls: Record<string, unknown>;
}

const ORIGIN = /^https?:\/\/[^/]+/i;
const WS_ORIGIN = /^wss?:\/\/[^/]+/i;

/**
 * Points every REST URL of a ccxt instance at `baseUrl` (e.g. a local fake exchange), keeping the path of
 * each one: https://api.binance.com/api/v3 becomes http://127.0.0.1:8080/api/v3, https://fapi.binance.com
 * /fapi/v1 becomes http://127.0.0.1:8080/fapi/v1. ccxt builds every request from these entries, so nothing
 * else needs mocking. WebSocket URLs are left alone: they are not REST and get their own override.
 * Works on exchanges whose `urls.api` is one string, a flat map or nested maps, and on `{hostname}`
 * templates, since only the scheme and host are replaced.
 */
export function pointCcxtAt(exchange: HasCcxtUrls, baseUrl: string): void {
  const base = baseUrl.replace(/\/+$/, '');
  if (!ORIGIN.test(base)) throw new RangeError(`base URL "${baseUrl}" is not an http(s) URL`);
  // A copy, not an edit in place: ccxt may share the describe() objects between instances.
  exchange.urls = { ...exchange.urls, api: rewrite(exchange.urls['api'], ORIGIN, base) };
}

/**
 * Points every WebSocket URL of a ccxt pro instance at `wsUrl` the same way (wss://stream.binance.com:9443
 * /ws becomes ws://127.0.0.1:8080/ws); REST URLs are left alone.
 */
export function pointCcxtWsAt(exchange: HasCcxtUrls, wsUrl: string): void {
  const base = wsUrl.replace(/\/+$/, '');
  if (!WS_ORIGIN.test(base)) throw new RangeError(`WebSocket URL "${wsUrl}" is not a ws(s) URL`);
  exchange.urls = { ...exchange.urls, api: rewrite(exchange.urls['api'], WS_ORIGIN, base) };
}

/** The WebSocket origin that goes with a REST base URL: http://host:port -> ws://host:port. */
export function wsUrlFor(baseUrl: string): string {
  const origin = ORIGIN.exec(baseUrl)?.[0];
  if (origin === undefined) throw new RangeError(`base URL "${baseUrl}" is not an http(s) URL`);
  return origin.replace(/^http/i, 'ws');
}

function rewrite(value: unknown, origin: RegExp, base: string): unknown {
  if (typeof value === 'string') return origin.test(value) ? value.replace(origin, base) : value;
  if (Array.isArray(value)) return value.map((v) => rewrite(v, origin, base));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, rewrite(v, origin, base)]));
  }
  return value;
}
