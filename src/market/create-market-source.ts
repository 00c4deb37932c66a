import type { BotConfig } from '../config/schema';
import type { Clock } from '../core/clock';
import type { LiveMarketSource } from './live/types';
import { SimulatedMarket } from './simulated-market';
import type { MarketSource } from './types';

export interface MarketSourceChoice {
  /** The simulated market's seed, already drawn when the config says 0 (random). */
  seed: number;
  /** Live sources time their reconnects and stale checks on it. */
  clock: Clock;
}

/**
 * The simulated market's first candle opens here, whatever the wall clock says: a seed then gives the same
 * trades at the same times on every run, and the dates show plainly that the market is not real.
 */
export const SIMULATED_MARKET_START = Date.UTC(2024, 0, 1);

/** Picks the market source the configuration names. */
export function createMarketSource(config: BotConfig, choice: MarketSourceChoice): MarketSource | LiveMarketSource {
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
    case 'exchange': {
      // Required here, not imported: ccxt takes a good part of a second to load, and the simulated market
      // (the default) never needs it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createLiveMarket } = require('../exchange/create-live-market') as typeof import('../exchange/create-live-market');
      return createLiveMarket(config, choice.clock);
    }
  }
}
