import type { BotConfig } from '../config/schema';
import type { Clock } from '../core/clock';
import { ExchangeExecutor } from '../execution/exchange-executor';
import type { ExecutorFactory } from '../execution/executor';
import { exchangeFromConfig } from './create-exchange';

/** Client order ids start with this, so reconciliation recognises the bot's own orders on the account. */
export const CLIENT_ID_PREFIX = 'at';

/**
 * Live trading's executor: an authenticated ccxt pro instance of its own (the market data one never holds
 * keys), the live broker on it, and the instance closed when the executor stops.
 */
export function createLiveExecution(config: BotConfig, clock: Clock): ExecutorFactory {
  const { exchange: settings, market, trade } = config;
  const secrets = [settings.apiKey, settings.secret, settings.password].filter((s) => s !== '');
  return (setup) => {
    const exchange = exchangeFromConfig(settings, { pro: true, withKeys: true });
    return new ExchangeExecutor(
      {
        exchange,
        clock,
        symbols: market.symbols,
        fees: { ...trade.fees },
        slippageBps: trade.slippageBps,
        idPrefix: CLIENT_ID_PREFIX,
        secrets,
        close: () => exchange.close(),
      },
      setup,
    );
  };
}
