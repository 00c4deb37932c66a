import type { BotConfig } from '../config/schema';
import { SimulatedMarket } from './simulated-market';
import type { MarketSource } from './types';

export interface MarketSourceChoice {
  /** The simulated market's seed, already drawn when the config says 0 (random). */
  seed: number;
  /** Market time of the first candle (ms); the simulated market aligns it to the timeframe. */
  startTime: number;
}

/** Picks the market source the configuration names. */
export function createMarketSource(config: BotConfig, choice: MarketSourceChoice): MarketSource {
  const { market } = config;
  switch (market.source) {
    case 'simulated':
      return new SimulatedMarket({
        seed: choice.seed,
        symbols: [...market.symbols],
        timeframe: market.timeframe,
        startTime: choice.startTime,
        startPrices: { ...market.simulated.startPrices },
        ticksPerCandle: market.simulated.ticksPerCandle,
      });
  }
}
