/** The parts of a ccxt instance whose URLs we rewrite; ccxt keeps every REST base URL under `urls.api`. */
export interface HasCcxtUrls {
  urls: Record<string, unknown>;
}

const ORIGIN = /^https?:\/\/[^/]+/i;

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
  exchange.urls = { ...exchange.urls, api: rewrite(exchange.urls['api'], base) };
}

function rewrite(value: unknown, base: string): unknown {
  if (typeof value === 'string') return ORIGIN.test(value) ? value.replace(ORIGIN, base) : value;
  if (Array.isArray(value)) return value.map((v) => rewrite(v, base));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, rewrite(v, base)]));
  }
  return value;
}
