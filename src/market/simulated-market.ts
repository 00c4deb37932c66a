import { PricePath } from './price-path';
import type { Regime } from './regime';
import { deriveSeed, Rng } from './rng';
import { alignToTimeframe, timeframeMs } from './timeframe';
import type { Candle, MarketEvent, MarketSource } from './types';

/**
 * The simulated market's first candle opens here, whatever the wall clock says: a seed then gives the same
 * trades at the same times on every run, and the dates show plainly that the market is not real.
 */
export const SIMULATED_MARKET_START = Date.UTC(2024, 0, 1);

export interface SimulatedMarketOptions {
  /** 32-bit unsigned integer; the same options always give the same events. */
  seed: number;
  symbols: string[];
  timeframe: string;
  /** Market time (ms) of the first candle; moved back to the open time of the candle containing it. */
  startTime: number;
  /** Start price per symbol; symbols not listed start at a built-in price. Extra entries are ignored. */
  startPrices?: Record<string, number>;
  /** Price ticks inside each candle, at least 1 and at most one per millisecond of the period. */
  ticksPerCandle: number;
}

/** Calm volatility per year; scaled to each timeframe with the square root of time, as for a random walk. */
const ANNUAL_VOLATILITY = 0.6;
const YEAR_MS = 365 * 24 * 3_600_000;
/** Quote-currency volume of a usual one-minute candle; longer candles trade proportionally more. */
const NOTIONAL_PER_MINUTE = 1_000_000;

/** Built-in start prices, roughly where these coins have traded, so logs and reports look familiar. */
export function defaultStartPrice(symbol: string): number {
  if (symbol.startsWith('BTC/')) return 60_000;
  if (symbol.startsWith('ETH/')) return 3_000;
  return 100;
}

/**
 * An endless, reproducible market: every `next()` is one candle period of every symbol, its ticks spread
 * evenly over the period (interleaved across symbols) followed by the candles made of exactly those ticks.
 */
export class SimulatedMarket implements MarketSource {
  readonly description: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;

  private readonly paths: PricePath[];
  /** Draws the shock all symbols share at each tick. */
  private readonly marketRng: Rng;
  private readonly periodMs: number;
  private readonly ticksPerCandle: number;
  /** Offset of each tick from the period's open time. */
  private readonly tickOffsets: Float64Array;
  private periodStart: number;

  // Per-symbol running aggregates of the current candle, reused across periods.
  private readonly open: Float64Array;
  private readonly high: Float64Array;
  private readonly low: Float64Array;
  private readonly volume: Float64Array;

  constructor(options: SimulatedMarketOptions) {
    const { seed, symbols, timeframe, startTime, ticksPerCandle } = options;
    this.periodMs = timeframeMs(timeframe);
    checkOptions(options, this.periodMs);
    this.symbols = [...symbols];
    this.timeframe = timeframe;
    this.ticksPerCandle = ticksPerCandle;
    this.description = `simulated market (seed ${seed}): ${symbols.join(', ')} on ${timeframe}`;
    this.periodStart = alignToTimeframe(startTime, timeframe);
    this.tickOffsets = new Float64Array(ticksPerCandle);
    for (let k = 0; k < ticksPerCandle; k++) this.tickOffsets[k] = Math.floor((k * this.periodMs) / ticksPerCandle);

    this.marketRng = new Rng(seed);
    const candleVolatility = ANNUAL_VOLATILITY * Math.sqrt(this.periodMs / YEAR_MS);
    const candleNotional = NOTIONAL_PER_MINUTE * (this.periodMs / 60_000);
    this.paths = this.symbols.map(
      (symbol) =>
        new PricePath({
          rng: new Rng(deriveSeed(seed, symbol)),
          startPrice: options.startPrices?.[symbol] ?? defaultStartPrice(symbol),
          candleVolatility,
          ticksPerCandle,
          candleNotional,
        }),
    );
    const count = this.symbols.length;
    this.open = new Float64Array(count);
    this.high = new Float64Array(count);
    this.low = new Float64Array(count);
    this.volume = new Float64Array(count);
  }

  /** The regime `symbol` is in now; for tests and diagnostics. */
  regimeOf(symbol: string): Regime {
    const path = this.paths[this.symbols.indexOf(symbol)];
    if (!path) throw new Error(`${symbol} is not in this simulated market (${this.symbols.join(', ')})`);
    return path.regime;
  }

  next(): MarketEvent[] {
    const { paths, symbols, open, high, low, volume, ticksPerCandle } = this;
    const count = paths.length;
    const start = this.periodStart;
    const events: MarketEvent[] = [];
    for (let s = 0; s < count; s++) paths[s]!.beginCandle();

    for (let k = 0; k < ticksPerCandle; k++) {
      const time = start + this.tickOffsets[k]!;
      const marketShock = this.marketRng.normal();
      for (let s = 0; s < count; s++) {
        const path = paths[s]!;
        path.step(marketShock);
        const price = path.price;
        const tickVolume = path.volume;
        if (k === 0) {
          open[s] = price;
          high[s] = price;
          low[s] = price;
          volume[s] = tickVolume;
        } else {
          if (price > high[s]!) high[s] = price;
          if (price < low[s]!) low[s] = price;
          volume[s]! += tickVolume;
        }
        events.push({ kind: 'tick', tick: { symbol: symbols[s]!, time, price, volume: tickVolume } });
      }
    }

    for (let s = 0; s < count; s++) {
      const candle: Candle = {
        symbol: symbols[s]!,
        timeframe: this.timeframe,
        time: start,
        open: open[s]!,
        high: high[s]!,
        low: low[s]!,
        close: paths[s]!.price,
        volume: volume[s]!,
      };
      events.push({ kind: 'candle', candle });
    }
    this.periodStart = start + this.periodMs;
    return events;
  }
}

function checkOptions(options: SimulatedMarketOptions, periodMs: number): void {
  const { seed, symbols, startTime, ticksPerCandle, startPrices = {} } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
  if (symbols.length === 0) throw new RangeError('a simulated market needs at least one symbol');
  if (new Set(symbols).size !== symbols.length) throw new RangeError(`symbols must not repeat: ${symbols.join(', ')}`);
  if (!Number.isFinite(startTime)) throw new RangeError(`startTime must be a finite number of ms, got ${startTime}`);
  // Tick times must strictly increase, so there can be at most one tick per millisecond.
  if (!Number.isInteger(ticksPerCandle) || ticksPerCandle < 1 || ticksPerCandle > periodMs) {
    throw new RangeError(`ticksPerCandle must be an integer from 1 to ${periodMs}, got ${ticksPerCandle}`);
  }
  for (const [symbol, price] of Object.entries(startPrices)) {
    if (!Number.isFinite(price) || price <= 0) throw new RangeError(`start price of ${symbol} must be a positive number, got ${price}`);
  }
}
