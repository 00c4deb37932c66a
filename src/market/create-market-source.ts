import type { BotConfig } from '../config/schema';
import { SimulatedMarket } from './simulated-market';
import type { MarketSource } from './types';

export interface MarketSourceChoice {
  /** The simulated market's seed, already drawn when the config says 0 (random). */
  seed: number;
}

/**
 * The simulated market's first candle opens here, whatever the wall clock says: a seed then gives the same
 * trades at the same times on every run, and the dates show plainly that the market is not real.
 */
export const SIMULATED_MARKET_START = Date.UTC(2024, 0, 1);

/** Picks the market source the configuration names. */
export function createMarketSource(config: BotConfig, choice: MarketSourceChoice): MarketSource {
  const { market } = config;
  switch (market.source) {
    case 'simulated':
      return new SimulatedMarket({
        seed: choice.seed,
        symbols: [...market.symbols],
        timeframe: market.timeframe,
        startTime: SIMULATED_MARKET_START,
        startPrices: { ...market.simulated.startPrices },
        ticksPerCandle: market.simulated.ticksPerCandle,
      });
  }
}
