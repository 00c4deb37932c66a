import type { BotConfig } from '../config/schema';
import { UserError } from '../core/errors';
import { quoteCurrencyOf } from '../market/symbols';
import { exchangeFromConfig } from './create-exchange';
import { redactCcxtError } from './live/redact-ccxt-error';

/**
 * Live trading starts its books from the account: the quote currency's total on the exchange. A failure
 * here stops the bot before anything trades, with the (redacted) reason, e.g. a key without permission.
 */
export async function readQuoteBalance(config: BotConfig): Promise<number> {
  const { exchange: settings } = config;
  const quote = quoteCurrencyOf(config.market.symbols);
  const exchange = exchangeFromConfig(settings, { pro: false, withKeys: true });
  try {
    const balances = (await exchange.fetchBalance()) as unknown as Record<string, { total?: number } | undefined>;
    const total = balances[quote]?.total ?? 0;
    if (!(total > 0)) throw new UserError(`the ${settings.name} account holds no ${quote}, the quote currency of ${config.market.symbols.join(', ')}: nothing to trade with`);
    return total;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`could not read the account balance on ${settings.name}: ${redactCcxtError(err, [settings.apiKey, settings.secret, settings.password])}`);
  }
}
