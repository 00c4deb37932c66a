import type { BotConfig } from '../config/schema';
import type { Clock } from '../core/clock';
import type { ExecutorFactory } from '../execution/executor';
import { paperExecution } from '../execution/paper-executor';
import type { LiveMarketSource } from '../market/live/types';
import { SimulatedMarket, SIMULATED_MARKET_START } from '../market/simulated-market';
import type { MarketSource } from '../market/types';

/*
 * The parts the configuration chooses between: the market source and the executor. Only the composition
 * root calls these. The exchange's modules are required here, not imported: ccxt takes a good part of a
 * second to load, and the default (simulated market, paper fills) never needs it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

export interface MarketSourceChoice {
  /** The simulated market's seed, already drawn when the config says 0 (random). */
  seed: number;
  /** Live sources time their reconnects and stale checks on it. */
  clock: Clock;
}

/** The market source `market.source` names. */
export function chooseMarketSource(config: BotConfig, choice: MarketSourceChoice): MarketSource | LiveMarketSource {
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
      const { createLiveMarket } = require('../exchange/create-live-market') as typeof import('../exchange/create-live-market');
      return createLiveMarket(config, choice.clock);
    }
  }
}

/**
 * Paper fills on the fill model (`persistent`: the run keeps a state file, so its pending orders outlive a
 * stop), or live orders on the exchange. `config` must still hold the exchange's
 * keys for live trading: the executor's exchange instance is the one thing that signs requests.
 */
export function chooseExecutor(config: BotConfig, trading: 'paper' | 'live', clock: Clock, options: { persistent?: boolean } = {}): ExecutorFactory {
  if (trading === 'paper') return paperExecution({ fees: config.trade.fees, slippageBps: config.trade.slippageBps, persistent: options.persistent === true });
  const { createLiveExecution } = require('../exchange/create-live-execution') as typeof import('../exchange/create-live-execution');
  return createLiveExecution(config, clock);
}

/** Live trading's start balance: the quote currency the account holds on the exchange, read once at start. */
export function accountQuoteBalance(config: BotConfig): Promise<number> {
  const { readQuoteBalance } = require('../exchange/read-quote-balance') as typeof import('../exchange/read-quote-balance');
  return readQuoteBalance(config);
}
