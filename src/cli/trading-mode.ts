import type { BotConfig } from '../config/schema';
import { UserError } from '../core/errors';

/**
 * Live trading needs two keys turned, on purpose: `mode: live` in the configuration and `--live` on the
 * command line, so neither a stray config file nor a mistyped command can put real money at risk alone.
 * Then it needs API keys (from the environment only) and live market data. Each refusal is one sentence.
 */
export function checkTradingMode(config: BotConfig, liveFlag: boolean): 'paper' | 'live' {
  if (config.mode === 'paper') {
    if (liveFlag) {
      throw new UserError('--live was given, but the configuration says mode "paper": set "mode": "live" in your config file (or BOT_MODE=live) to trade real money');
    }
    return 'paper';
  }
  if (!liveFlag) {
    throw new UserError('the configuration says mode "live", but --live was not given: live trading needs both, so add --live to trade real money');
  }
  const missing = [config.exchange.apiKey === '' ? 'BOT_EXCHANGE_API_KEY' : '', config.exchange.secret === '' ? 'BOT_EXCHANGE_SECRET' : ''].filter(Boolean);
  if (missing.length > 0) {
    throw new UserError(`live trading needs the exchange's API key and secret, and ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set in the environment`);
  }
  if (config.market.source !== 'exchange') {
    throw new UserError(`live trading needs live market data, but market.source is "${config.market.source}": add --source exchange`);
  }
  return 'live';
}
