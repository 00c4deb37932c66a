import type { Journal } from '../../src/state/journal';
import path from 'node:path';
import type { Candle, MarketEvent, MarketSource } from '../../src/market/types';
import { TEST_STRATEGIES_DIR, testApp, type TestApp } from './test-app';

const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');

/** A candle event whose open differs from its close (high and low span both). */
export function movingCandle(symbol: string, time: number, open: number, close: number): Candle {
  return { symbol, timeframe: '1m', time, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 1 };
}

/**
 * The whole app on scripted BTC and ETH periods, played one per 10 ms of the clock (100 candles/s), with
 * the `scripted` test strategy and no fees, slippage or stops, so every figure is round. `env` adds to or
 * overrides those settings.
 */
export function scriptedMarketApp(periods: MarketEvent[][], env: Record<string, string>, journal?: Journal): TestApp {
  let at = 0;
  const source: MarketSource = { description: 'scripted test market', symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', next: () => periods[at++] };
  return testApp({
    ...(journal ? { journal } : {}),
    marketSource: source,
    strategiesDir: APP_STRATEGIES,
    env: {
      BOT_MARKET_SYMBOLS: 'BTC/USDT,ETH/USDT',
      BOT_MARKET_SPEED: '100',
      BOT_ANALYSIS_STRATEGIES: 'scripted',
      BOT_TRADE_FEES_MAKER: '0',
      BOT_TRADE_FEES_TAKER: '0',
      BOT_TRADE_SLIPPAGE_BPS: '0',
      BOT_TRADE_STOP_LOSS_PCT: '0',
      ...env,
    },
  });
}
