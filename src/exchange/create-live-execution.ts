import type { BotConfig } from '../config/schema';
import type { Clock } from '../core/clock';
import type { LiveExecutorFactory } from '../execution/executor';
import { exchangeFromConfig } from './create-exchange';
import { ExchangeExecutor } from './live/exchange-executor';

/** Client order ids start with this, so reconciliation recognises the bot's own orders on the account. */
export const CLIENT_ID_PREFIX = 'at';

/**
 * Live trading's executor: an authenticated ccxt pro instance of its own (the market data one never holds
 * keys), the live broker on it, and the instance closed when the executor stops.
 */
export function createLiveExecution(config: BotConfig, clock: Clock): LiveExecutorFactory {
  const { exchange: settings, market, trade } = config;
  const secrets = [settings.apiKey, settings.secret, settings.password].filter((s) => s !== '');
  return (hooks) => {
    const exchange = exchangeFromConfig(settings, { pro: true, withKeys: true });
    const executor = new ExchangeExecutor(
      { exchange, clock, symbols: market.symbols, fees: { ...trade.fees }, slippageBps: trade.slippageBps, idPrefix: CLIENT_ID_PREFIX, secrets },
      hooks,
    );
    return {
      nextOrderId: () => executor.nextOrderId(),
      start: () => executor.start(),
      stop: async () => {
        await executor.stop();
        await exchange.close();
      },
      submit: (order) => executor.submit(order),
      cancel: (id) => executor.cancel(id),
      pending: () => executor.pending(),
      pendingOrders: () => executor.pendingOrders(),
      reservedQuote: () => executor.reservedQuote(),
      clearProtection: (symbol) => executor.clearProtection(symbol),
      lastPrice: (symbol) => executor.lastPrice(symbol),
      onTick: (tick) => executor.onTick(tick),
      onCandle: (candle) => executor.onCandle(candle),
    };
  };
}
