import { binanceId, exchangeInfo, klineRow, type FakeMarket } from './binance-format';
import { BinanceError, integerParam, required } from './binance-error';
import { selectKlines, type Kline } from './klines';
import { intervalMsOf, tickerAt, type Listed } from './listing';
import type { Route } from './private-routes';

export interface KlineAnswer {
  entry: Listed;
  intervalMs: number;
  rows: Kline[];
}

/** What GET /api/v3/klines answers at exchange time `t`, before formatting. */
export function klinesAt(listed: ReadonlyMap<string, Listed>, symbolId: string, interval: string, query: URLSearchParams, t: number): KlineAnswer {
  const entry = listedOrThrow(listed, symbolId);
  const intervalMs = intervalMsOf(entry, interval);
  const limit = Math.min(integerParam(query, 'limit') ?? 500, 1000);
  if (limit < 1) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '1 - 1000'.");
  const startTime = integerParam(query, 'startTime');
  const endTime = integerParam(query, 'endTime');
  const rows = selectKlines(entry.track.upTo(t), { interval, intervalMs, limit, ...(startTime !== undefined && { startTime }), ...(endTime !== undefined && { endTime }) }, t);
  return { entry, intervalMs, rows };
}

/** The public GET endpoints ccxt's binance calls for markets and candles, keyed by path. */
export function publicRoutes(listed: ReadonlyMap<string, Listed>, now: () => number): Record<string, Route> {
  return {
    '/api/v3/ping': () => ({}),
    '/api/v3/time': () => ({ serverTime: now() }),
    '/api/v3/exchangeInfo': (query) => exchangeInfo(chosenMarkets(listed, query), now()),
    '/api/v3/klines': (query) => {
      const { entry, intervalMs, rows } = klinesAt(listed, required(query, 'symbol'), required(query, 'interval'), query, now());
      return rows.map((k) => klineRow(k, intervalMs, entry.market));
    },
    '/api/v3/ticker/24hr': (query) => {
      const t = now();
      const symbol = query.get('symbol');
      if (symbol !== null) return tickerAt(listedOrThrow(listed, symbol), t);
      return chosenMarkets(listed, query).map((m) => tickerAt(listed.get(binanceId(m.symbol))!, t));
    },
  };
}

export function listedOrThrow(listed: ReadonlyMap<string, Listed>, id: string): Listed {
  const entry = listed.get(id);
  if (!entry) throw new BinanceError(400, -1121, 'Invalid symbol.');
  return entry;
}

function chosenMarkets(listed: ReadonlyMap<string, Listed>, query: URLSearchParams): FakeMarket[] {
  const symbol = query.get('symbol');
  if (symbol !== null) return [listedOrThrow(listed, symbol).market];
  const symbols = query.get('symbols');
  if (symbols !== null) {
    let ids: unknown;
    try {
      ids = JSON.parse(symbols);
    } catch {
      throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
    }
    if (!Array.isArray(ids)) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
    return ids.map((id) => listedOrThrow(listed, String(id)).market);
  }
  return [...listed.values()].map((l) => l.market);
}
