import { splitSymbol } from '../../src/market/symbols';
import { eight } from './decimal';
import type { Kline } from './klines';

/** One spot market of the fake exchange, with the filters Binance puts on it (decimal strings, as Binance). */
export interface FakeMarket {
  /** Unified ccxt symbol, e.g. 'BTC/USDT'; the Binance id is BTCUSDT. */
  symbol: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
  /** Binance's status: only TRADING markets are active in ccxt. */
  status: 'TRADING' | 'BREAK' | 'HALT' | 'END_OF_DAY';
}

export const binanceId = (symbol: string): string => symbol.replace('/', '');

/** Filters in the style of Binance's for a market trading near `price`: five significant digits of price. */
export function defaultMarket(symbol: string, price: number): FakeMarket {
  const magnitude = Math.ceil(Math.log10(price));
  const tick = decimalStep(clamp(5 - magnitude, 2, 8));
  const step = decimalStep(clamp(magnitude, 0, 8));
  return { symbol, tickSize: tick, stepSize: step, minQty: step, minNotional: '5', status: 'TRADING' };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

function decimalStep(decimals: number): string {
  return decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}

function decimalsOf(step: string): number {
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.length - dot - 1;
}

/** `value` rounded to the decimals of `step`, written with 8 places: how klines and tickers show prices. */
export const onStep = (value: number, step: string): string => eight(Number(value.toFixed(decimalsOf(step))));

/** Filter bounds every fake market shares (Binance's usual ones); tick, step and minimums are per market. */
export const LIMITS = {
  maxPrice: 1_000_000,
  maxQty: 9000,
  marketMaxQty: 100,
  maxNotional: 9_000_000,
  /** PERCENT_PRICE_BY_SIDE: a limit price within [price / 5, price * 5]. */
  priceMultiplier: 5,
  maxNumOrders: 200,
} as const;

/** One entry of GET /api/v3/exchangeInfo's `symbols`, as Binance sent it in 2025. */
export function symbolInfo(market: FakeMarket): Record<string, unknown> {
  const { base, quote } = splitSymbol(market.symbol);
  return {
    symbol: binanceId(market.symbol),
    status: market.status,
    baseAsset: base,
    baseAssetPrecision: 8,
    quoteAsset: quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: eight(market.tickSize), maxPrice: eight(LIMITS.maxPrice), tickSize: eight(market.tickSize) },
      { filterType: 'LOT_SIZE', minQty: eight(market.minQty), maxQty: eight(LIMITS.maxQty), stepSize: eight(market.stepSize) },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: eight(0), maxQty: eight(LIMITS.marketMaxQty), stepSize: eight(0) },
      { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
      { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: String(LIMITS.priceMultiplier), bidMultiplierDown: String(1 / LIMITS.priceMultiplier), askMultiplierUp: String(LIMITS.priceMultiplier), askMultiplierDown: String(1 / LIMITS.priceMultiplier), avgPriceMins: 5 },
      { filterType: 'NOTIONAL', minNotional: eight(market.minNotional), applyMinToMarket: true, maxNotional: eight(LIMITS.maxNotional), applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: LIMITS.maxNumOrders },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN', 'TRD_GRP_004', 'TRD_GRP_005', 'TRD_GRP_006']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

export function exchangeInfo(markets: readonly FakeMarket[], serverTime: number): Record<string, unknown> {
  return {
    timezone: 'UTC',
    serverTime,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: markets.map(symbolInfo),
  };
}

/**
 * A kline as a Binance kline row: 12 fields, decimals as strings, prices on the market's tick. Volumes are
 * the candles' own, at Binance's 8 decimals: a candle file's come back exactly as the file has them (Binance
 * data has no more decimals), not rounded to the lot step, which only orders must keep to.
 */
export type KlineRow = [number, string, string, string, string, string, number, string, number, string, string, string];

export function klineRow(kline: Kline, intervalMs: number, market: FakeMarket): KlineRow {
  const price = (p: number): string => onStep(p, market.tickSize);
  const volume = eight(kline.volume);
  const quoteVolume = eight(Number(volume) * kline.close);
  // Deterministic stand-ins: roughly one trade per 0.05 of base volume, half of it bought by takers.
  const trades = Math.max(1, Math.round(Number(volume) * 20));
  return [
    kline.time,
    price(kline.open),
    price(kline.high),
    price(kline.low),
    price(kline.close),
    volume,
    kline.time + intervalMs - 1,
    quoteVolume,
    trades,
    eight(Number(volume) / 2),
    eight(Number(quoteVolume) / 2),
    '0',
  ];
}

/** GET /api/v3/ticker/24hr for one symbol: the rolling 24 hours up to `now`, from the klines in that window. */
export function ticker24hr(market: FakeMarket, window: readonly Kline[], now: number): Record<string, unknown> {
  const first = window[0];
  const last = window[window.length - 1];
  const tick = Number(market.tickSize);
  const price = (p: number): string => onStep(p, market.tickSize);
  const open = first?.open ?? 0;
  const close = last?.close ?? 0;
  const volume = window.reduce((v, k) => v + k.volume, 0);
  const quoteVolume = window.reduce((v, k) => v + k.volume * k.close, 0);
  const high = window.reduce((h, k) => Math.max(h, k.high), first?.high ?? 0);
  const low = window.reduce((l, k) => Math.min(l, k.low), first?.low ?? 0);
  return {
    symbol: binanceId(market.symbol),
    priceChange: price(close - open),
    priceChangePercent: open > 0 ? (((close - open) / open) * 100).toFixed(3) : '0.000',
    weightedAvgPrice: volume > 0 ? eight(quoteVolume / volume) : eight(0),
    prevClosePrice: price(open),
    lastPrice: price(close),
    lastQty: onStep(Number(market.minQty) * 10, market.stepSize),
    bidPrice: price(close - tick),
    bidQty: onStep(Number(market.minQty) * 100, market.stepSize),
    askPrice: price(close),
    askQty: onStep(Number(market.minQty) * 80, market.stepSize),
    openPrice: price(open),
    highPrice: price(high),
    lowPrice: price(low),
    volume: eight(volume),
    quoteVolume: eight(quoteVolume),
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: 1,
    lastId: Math.max(1, window.length * 100),
    count: Math.max(0, window.length * 100 - 1) + 1,
  };
}
