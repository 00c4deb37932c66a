import path from 'node:path';
import { buildApp, type App, type AppDependencies } from '../../src/app/build-app';
import { loadConfig } from '../../src/config/load-config';
import { SystemClock } from '../../src/core/clock';
import type { FakeExchange } from '../fake-exchange/fake-exchange';
import type { MemoryLogger } from './memory-logger';
import { DEFAULT_CONFIG_FILE, TEST_STRATEGIES_DIR } from './test-app';

const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');

/**
 * The whole app trading live, in this process, against the fake exchange with its keys: the flip-flop test
 * strategy entering every 2nd candle and leaving on the next, no stop-loss, on the system clock. `env` adds
 * to or overrides those settings.
 */
export function liveFlipFlopApp(fake: FakeExchange, logger: MemoryLogger, env: Record<string, string>, state?: AppDependencies['state']): App {
  const loaded = loadConfig({
    defaultFile: DEFAULT_CONFIG_FILE,
    env: {
      BOT_LOG_TO_FILE: 'false',
      BOT_CONFIG_WATCH: 'false',
      BOT_MODE: 'live',
      BOT_MARKET_SOURCE: 'exchange',
      // The fake exchange makes 1m candles.
      BOT_MARKET_TIMEFRAME: '1m',
      BOT_ANALYSIS_STRATEGIES: 'flip-flop',
      BOT_STRATEGY_PARAMS: '{"flip-flop":{"every":2,"hold":1}}',
      BOT_EXCHANGE_BASE_URL: fake.url,
      BOT_EXCHANGE_API_KEY: fake.apiKey,
      BOT_EXCHANGE_SECRET: fake.secret,
      BOT_TRADE_STOP_LOSS_PCT: '0',
      BOT_MONITOR_STATUS_INTERVAL_MS: '0',
      ...env,
    },
  });
  return buildApp({ loaded, reloadConfig: () => loaded, clock: new SystemClock(), logger, strategiesDir: APP_STRATEGIES, trading: 'live', ...(state ? { state } : {}) });
}
