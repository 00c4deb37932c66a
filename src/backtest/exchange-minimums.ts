/**
 * The default `trade.minNotional` of a backtest: the smallest order the exchange the data comes from accepts,
 * when the candle file's name says the exchange (`binance_BTC-USDT_5m_2021.json`), else 0. A backtest has
 * no network to ask the exchange, so the common cases are kept here, as the exchanges publish them; a
 * `trade.minNotional` in the user's config file or environment wins over this.
 */
import { nameTokens } from '../market/infer-series';
import { splitSymbol } from '../market/symbols';

/** Exchange (ccxt id) -> quote currency -> smallest order on most spot markets in that quote. */
const MINIMUMS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  // Binance spot: the NOTIONAL filter (MIN_NOTIONAL on older markets) of GET /api/v3/exchangeInfo says 5 for
  // most USDT, USDC and FDUSD pairs today; it said 10 in earlier years, so older data traded under a stricter rule.
  binance: { USDT: 5, USDC: 5, FDUSD: 5 },
  // Coinbase Advanced Trade: quote_min_size of its products is 1 for most USD pairs.
  coinbase: { USD: 1 },
};

/** The exchange a word of a candle file's name names (`binance` in binance_BTC-USDT_5m.json), when this table knows it. */
export function exchangeOfFile(file: string): string | undefined {
  return nameTokens(file)
    .map((token) => token.toLowerCase())
    .find((token) => Object.hasOwn(MINIMUMS, token));
}

/** The exchange's minimum for one file's market; 0 when the exchange or its quote currency is not known. */
export function exchangeMinNotional(file: string, symbol: string): number {
  const exchange = exchangeOfFile(file);
  if (exchange === undefined) return 0;
  return MINIMUMS[exchange]![splitSymbol(symbol).quote] ?? 0;
}

/**
 * One minimum for the whole run, whose files may come from different exchanges: the largest, since the one
 * setting must hold on each of them.
 */
export function backtestMinNotional(files: readonly string[], symbols: readonly string[]): number {
  let minimum = 0;
  files.forEach((file, i) => {
    const symbol = symbols[i];
    if (symbol !== undefined) minimum = Math.max(minimum, exchangeMinNotional(file, symbol));
  });
  return minimum;
}
