import type { Candle, Tick } from '../market/types';

/**
 * One price event as the fill model sees it. A tick is a candle whose open, high and low are all its price,
 * so a single set of fill rules serves both, and paper trading (ticks) and backtests (candles) agree.
 */
export interface PriceEvent {
  symbol: string;
  time: number;
  /** The first price the market offers in this event: where market orders and gaps fill. */
  open: number;
  high: number;
  low: number;
  /** The last price, remembered to estimate what a pending market buy by quantity will cost. */
  close: number;
}

export function tickEvent(tick: Tick): PriceEvent {
  if (!isPrice(tick.price)) invalid(`tick ${tick.symbol} at ${tick.time}`, { price: tick.price });
  return { symbol: tick.symbol, time: tick.time, open: tick.price, high: tick.price, low: tick.price, close: tick.price };
}

/** A candle is already a price event (it has every field one needs): checked, not copied. */
export function candleEvent(candle: Candle): PriceEvent {
  assertCandlePrices(candle);
  return candle;
}

export function assertCandlePrices(candle: Candle): void {
  const { open, high, low, close } = candle;
  if (!(isPrice(open) && isPrice(high) && isPrice(low) && isPrice(close))) {
    invalid(`candle ${candle.symbol} at ${candle.time}`, { open, high, low, close });
  }
}

function isPrice(value: number): boolean {
  return value > 0 && value < Infinity;
}

// A NaN or zero price here would turn silently into NaN fills and break the ledger: fail where it enters.
// The message is built only on failure: this runs for every price event of a backtest.
function invalid(what: string, prices: Record<string, number>): never {
  const [name, value] = Object.entries(prices).find(([, v]) => !isPrice(v)) ?? ['price', NaN];
  throw new Error(`${what} has an invalid ${name}: ${value}; prices must be positive numbers`);
}
