import path from 'node:path';
import type { Signal } from '../../../src/bus/topics';
import type { Order } from '../../../src/execution/types';
import type { Candle, MarketEvent, MarketSource } from '../../../src/market/types';
import type { PortfolioSnapshot } from '../../../src/portfolio/types';
import { TEST_STRATEGIES_DIR, testApp } from '../../helpers/test-app';

const MINUTE = 60_000;
const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');

function flat(symbol: string, time: number, price: number): MarketEvent {
  const candle: Candle = { symbol, timeframe: '1m', time, open: price, high: price, low: price, close: price, volume: 1 };
  return { kind: 'candle', candle };
}

function enter(symbol: string, candleTime: number, price: number): Signal {
  return { symbol, action: 'enter', strength: 1, reason: 'test entry', strategy: 'test', candleTime, price };
}

/**
 * The whole app on scripted candles, played one period per 10 ms of the clock (100 candles/s). Its only
 * strategy never trades: the test sends the signals itself. No fees, slippage or stops, so every figure
 * is round.
 */
async function tradingApp(periods: MarketEvent[][], stake: string) {
  let at = 0;
  const source: MarketSource = { description: 'scripted test market', symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', next: () => periods[at++] };
  const app = testApp({
    marketSource: source,
    strategiesDir: APP_STRATEGIES,
    env: {
      BOT_MARKET_SYMBOLS: 'BTC/USDT,ETH/USDT,SOL/USDT',
      BOT_MARKET_SPEED: '100',
      BOT_ANALYSIS_STRATEGIES: 'scripted',
      BOT_PORTFOLIO_START_BALANCE: '10000',
      BOT_TRADE_STAKE: stake,
      BOT_TRADE_FEES_MAKER: '0',
      BOT_TRADE_FEES_TAKER: '0',
      BOT_TRADE_SLIPPAGE_BPS: '0',
      BOT_TRADE_STOP_LOSS_PCT: '0',
      BOT_RISK_MAX_POSITION_PCT: '100',
    },
  });
  const submitted: Order[] = [];
  app.bus.subscribe('test', 'order.submitted', ({ payload }) => {
    submitted.push(payload.order);
  });
  const snapshots: PortfolioSnapshot[] = [];
  app.bus.subscribe('test', 'portfolio.updated', ({ payload }) => {
    snapshots.push(payload);
  });
  await app.orchestrator.startAll();
  const play = (count: number) => app.clock.advance(10 * count);
  return { app, submitted, snapshots, play };
}

describe('TradeAgent sizing a percentage stake', () => {
  it('sizes on the equity marked at the latest prices, a position in another symbol having moved since its fill', async () => {
    const { app, submitted, snapshots, play } = await tradingApp(
      [
        [flat('BTC/USDT', 0, 100), flat('ETH/USDT', 0, 10)],
        [flat('BTC/USDT', MINUTE, 100), flat('ETH/USDT', MINUTE, 10)],
        [flat('BTC/USDT', 2 * MINUTE, 120), flat('ETH/USDT', 2 * MINUTE, 10)],
      ],
      '10%',
    );
    play(1);
    app.bus.publish('test', 'signal', enter('BTC/USDT', 0, 100));
    // 10 % of the 10 000 equity.
    expect(submitted[0]?.quoteAmount).toBe(1_000);
    play(1);
    // Filled at the next open, 100: 10 BTC, cash 9 000, and the portfolio's last word is 10 000.
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ cash: 9_000, equity: 10_000 });
    expect(snapshots[0]?.positions[0]).toMatchObject({ symbol: 'BTC/USDT', qty: 10, lastPrice: 100 });

    play(1);
    // BTC closed at 120 since, with no fill: 9 000 + 10 x 120 = 10 200; 10 % of it is 1 020.
    app.bus.publish('test', 'signal', enter('ETH/USDT', 2 * MINUTE, 10));
    expect(snapshots).toHaveLength(1);
    expect(submitted[1]).toMatchObject({ symbol: 'ETH/USDT', side: 'buy' });
    expect(submitted[1]?.quoteAmount).toBeCloseTo(1_020, 9);
  });

  it('follows a price down, and values every position at its own latest price after a later fill', async () => {
    const { app, submitted, snapshots, play } = await tradingApp(
      [
        [flat('BTC/USDT', 0, 100), flat('ETH/USDT', 0, 10)],
        [flat('BTC/USDT', MINUTE, 100), flat('ETH/USDT', MINUTE, 10)],
        [flat('BTC/USDT', 2 * MINUTE, 80), flat('ETH/USDT', 2 * MINUTE, 10)],
        [flat('BTC/USDT', 3 * MINUTE, 80), flat('ETH/USDT', 3 * MINUTE, 10)],
        [flat('BTC/USDT', 4 * MINUTE, 80), flat('ETH/USDT', 4 * MINUTE, 12)],
      ],
      '10%',
    );
    play(1);
    app.bus.publish('test', 'signal', enter('BTC/USDT', 0, 100));
    play(2);
    // 10 BTC bought at 100, now at 80: 9 000 + 10 x 80 = 9 800; 10 % is 980.
    app.bus.publish('test', 'signal', enter('ETH/USDT', 2 * MINUTE, 10));
    expect(submitted[1]?.quoteAmount).toBeCloseTo(980, 9);
    play(1);
    // Filled at ETH's next open, 10: 98 ETH, cash 8 020; the fill's snapshot has BTC at 80 already.
    expect(snapshots[1]).toMatchObject({ cash: 8_020, equity: 9_800 });
    play(1);
    // ETH has closed at 12 since, BTC still at 80: 8 020 + 800 + 98 x 12 = 8 020 + 800 + 1 176 = 9 996.
    app.bus.publish('test', 'signal', enter('SOL/USDT', 4 * MINUTE, 5));
    expect(submitted[2]).toMatchObject({ symbol: 'SOL/USDT', side: 'buy' });
    expect(submitted[2]?.quoteAmount).toBeCloseTo(999.6, 9);
  });

  it('sizes on the portfolio snapshot as it is when no price moved since it', async () => {
    const { app, submitted, play } = await tradingApp(
      [
        [flat('BTC/USDT', 0, 100), flat('ETH/USDT', 0, 10)],
        [flat('BTC/USDT', MINUTE, 100), flat('ETH/USDT', MINUTE, 10)],
        [flat('BTC/USDT', 2 * MINUTE, 100), flat('ETH/USDT', 2 * MINUTE, 11)],
      ],
      '25%',
    );
    play(1);
    app.bus.publish('test', 'signal', enter('BTC/USDT', 0, 100));
    play(2);
    // 25 BTC at 100, still at 100 (ETH moved, but nothing is held of it): 25 % of 10 000 again.
    app.bus.publish('test', 'signal', enter('ETH/USDT', 2 * MINUTE, 11));
    expect(submitted.map((o) => o.quoteAmount)).toEqual([2_500, 2_500]);
  });
});
