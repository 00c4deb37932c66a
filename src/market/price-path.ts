import { drawRegimeLength, pickNextRegime, REGIME_TRAITS, type Regime } from './regime';
import type { Rng } from './rng';

export interface PricePathOptions {
  /** This symbol's own generator. */
  rng: Rng;
  startPrice: number;
  /** Standard deviation of one candle's log return in a calm market on this timeframe. */
  candleVolatility: number;
  ticksPerCandle: number;
  /** Quote-currency volume of a usual candle; ticks get a random share of it. */
  candleNotional: number;
}

/**
 * Loading of the market-wide shock in each symbol's moves; two symbols' shocks correlate by its square
 * (0.36): they move together, but loosely.
 */
const MARKET_LOADING = 0.6;
const OWN_LOADING = Math.sqrt(1 - MARKET_LOADING * MARKET_LOADING);

/** Chance per candle of a jump (news, a liquidation cascade), and its size range as a fraction of price. */
const JUMP_CHANCE = 1 / 500;
const JUMP_MIN = 0.03;
const JUMP_MAX = 0.08;

/**
 * Standard deviation, in log units, of where a slow pull to the start price keeps the price in the long
 * run; without it a run of millions of daily candles wanders off to absurd prices.
 */
const LONG_RUN_SPREAD = 1.5;
/**
 * Long-run variance per candle, in units of the calm candle variance: trends of ~0.12 sigma per candle over
 * regimes of ~225 candles add about seven times what the noise adds.
 */
const DIFFUSION_WITH_TRENDS = 8;
/** A hard backstop on the same worry: the price never leaves start * e^±LOG_BAND, nor doubles' range. */
const LOG_BAND = 20;
const LOG_OF_TINY = -700;
const LOG_OF_HUGE = 700;

/**
 * One symbol's price: a geometric random walk whose drift and volatility come from a regime that switches
 * at random times, plus rare jumps. Advanced one tick at a time; state lives in fields, so a step allocates
 * nothing.
 */
export class PricePath {
  private readonly rng: Rng;
  private readonly ticksPerCandle: number;
  private readonly calmTickVolatility: number;
  private readonly notionalPerTick: number;
  private readonly logStart: number;
  private readonly logFloor: number;
  private readonly logCeiling: number;
  private readonly pullPerTick: number;
  private readonly candleVolatility: number;

  private logPrice: number;
  private currentPrice: number;
  private lastVolume = 0;

  private currentRegime: Regime;
  private candlesLeftInRegime: number;
  private trendPerTick = 0;
  private reversionPerTick = 0;
  private anchor = 0;
  private tickVolatility = 0;
  private volumeFactor = 1;

  private tickInCandle = 0;
  /** Tick of the current candle that jumps, or -1. */
  private jumpTick = -1;
  private jumpLog = 0;

  constructor(options: PricePathOptions) {
    this.rng = options.rng;
    this.ticksPerCandle = options.ticksPerCandle;
    this.candleVolatility = options.candleVolatility;
    this.calmTickVolatility = options.candleVolatility / Math.sqrt(options.ticksPerCandle);
    this.notionalPerTick = options.candleNotional / options.ticksPerCandle;
    this.logStart = Math.log(options.startPrice);
    this.logFloor = Math.max(this.logStart - LOG_BAND, LOG_OF_TINY);
    this.logCeiling = Math.min(this.logStart + LOG_BAND, LOG_OF_HUGE);
    // Ornstein-Uhlenbeck: the stationary variance D / (2 k) equals LONG_RUN_SPREAD^2 for this k. On 1m the
    // pull takes years to matter; on 1d it shapes multi-year cycles.
    const diffusion = DIFFUSION_WITH_TRENDS * options.candleVolatility * options.candleVolatility;
    const pullPerCandle = diffusion / (2 * LONG_RUN_SPREAD * LONG_RUN_SPREAD);
    this.pullPerTick = pullPerCandle / options.ticksPerCandle;
    this.logPrice = this.logStart;
    this.currentPrice = options.startPrice;
    this.currentRegime = pickNextRegime(this.rng, undefined, 0);
    this.candlesLeftInRegime = 0;
    this.enter(this.currentRegime);
  }

  get price(): number {
    return this.currentPrice;
  }

  /** Volume (base currency) of the last tick. */
  get volume(): number {
    return this.lastVolume;
  }

  get regime(): Regime {
    return this.currentRegime;
  }

  /** Call before the first tick of every candle: moves the regime clock and decides on a jump. */
  beginCandle(): void {
    if (this.candlesLeftInRegime <= 0) this.enter(pickNextRegime(this.rng, this.currentRegime, this.logPrice - this.logStart));
    this.candlesLeftInRegime -= 1;
    this.tickInCandle = 0;
    this.jumpTick = -1;
    if (this.rng.next() < JUMP_CHANCE) {
      this.jumpTick = this.rng.int(0, this.ticksPerCandle - 1);
      const size = this.rng.between(JUMP_MIN, JUMP_MAX);
      this.jumpLog = Math.log(this.rng.next() < 0.5 ? 1 - size : 1 + size);
    }
  }

  /** One tick; `marketShock` is the standard normal shared by all symbols at this tick. */
  step(marketShock: number): void {
    const shock = MARKET_LOADING * marketShock + OWN_LOADING * this.rng.normal();
    let logPrice =
      this.logPrice +
      this.trendPerTick -
      this.reversionPerTick * (this.logPrice - this.anchor) -
      this.pullPerTick * (this.logPrice - this.logStart) +
      this.tickVolatility * shock;
    if (this.tickInCandle === this.jumpTick) logPrice += this.jumpLog;
    if (logPrice < this.logFloor) logPrice = this.logFloor;
    else if (logPrice > this.logCeiling) logPrice = this.logCeiling;
    this.logPrice = logPrice;
    this.currentPrice = Math.exp(logPrice);
    // Busier when the price moves a lot, as in real markets.
    const activity = (0.4 + 1.2 * this.rng.next()) * (1 + 0.5 * Math.abs(shock));
    this.lastVolume = (this.notionalPerTick * this.volumeFactor * activity) / this.currentPrice;
    this.tickInCandle += 1;
  }

  private enter(regime: Regime): void {
    const traits = REGIME_TRAITS[regime];
    this.currentRegime = regime;
    this.candlesLeftInRegime = drawRegimeLength(this.rng, regime);
    const trend = this.rng.between(traits.trend[0], traits.trend[1]) * this.candleVolatility;
    this.trendPerTick = (regime === 'trending-down' ? -trend : trend) / this.ticksPerCandle;
    this.reversionPerTick = traits.meanReversion / this.ticksPerCandle;
    this.anchor = this.logPrice;
    this.tickVolatility = this.calmTickVolatility * traits.volatility;
    this.volumeFactor = traits.volume;
  }
}
