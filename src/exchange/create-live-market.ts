import type { BotConfig } from '../config/schema';
import type { Clock } from '../core/clock';
import { loopbackHostOf } from '../core/loopback';
import { CcxtLiveSource } from '../market/live/ccxt-live-source';
import type { LiveMarketSource } from '../market/live/types';
import { exchangeFromConfig } from './create-exchange';

/**
 * Live public market data from `exchange.name` through ccxt pro, for paper trading on the real market.
 * The exchange instance gets no API key: paper trading cannot reach a private endpoint even by mistake.
 * The source owns the instance, so stopping it also closes ccxt's websockets (they would keep the
 * process alive).
 */
export function createLiveMarket(config: BotConfig, clock: Clock): LiveMarketSource {
  const { exchange: settings, market } = config;
  const exchange = exchangeFromConfig(settings, { pro: true });
  const source = new CcxtLiveSource({
    exchange,
    clock,
    symbols: market.symbols,
    timeframe: market.timeframe,
    staleFloorMs: market.staleFloorMs,
    skewWarnMs: settings.clockSkewWarnMs,
    localExchange: loopbackHostOf(settings.baseUrl),
  });
  return {
    kind: 'live',
    description: source.description,
    symbols: source.symbols,
    timeframe: source.timeframe,
    warmup: (limit) => source.warmup(limit),
    start: (handlers) => source.start(handlers),
    stop: async () => {
      await source.stop();
      await exchange.close();
    },
  };
}
