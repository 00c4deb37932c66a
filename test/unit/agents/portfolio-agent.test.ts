import path from 'node:path';
import type { Order, Fill } from '../../../src/execution/types';
import type { Candle, MarketEvent, MarketSource } from '../../../src/market/types';
import type { PortfolioFinal, PortfolioMarked } from '../../../src/bus/topics';
import { TEST_STRATEGIES_DIR, testApp, type TestApp } from '../../helpers/test-app';

const MINUTE = 60_000;
const APP_STRATEGIES = path.join(TEST_STRATEGIES_DIR, '..', 'app-strategies');

function candle(symbol: string, time: number, close: number): Candle {
  return { symbol, timeframe: '1m', time, open: close, high: close, low: close, close, volume: 1 };
}

let sequence = 0;
function buy(symbol: string, qty: number, price: number): { order: Order; fill: Fill } {
  const clientOrderId = `t-${++sequence}`;
  return {
    order: { clientOrderId, symbol, side: 'buy', type: 'market', qty, reason: 'signal', origin: 'test', createdAt: 0 },
    fill: { clientOrderId, symbol, side: 'buy', qty, price, fee: 0, liquidity: 'taker', reason: 'signal', time: 0 },
  };
}

/** Only the config and portfolio agents run; the test plays the market and the broker on the bus. */
async function books(): Promise<{ app: TestApp; seen: string[]; marked: PortfolioMarked[]; final: () => PortfolioFinal | undefined }> {
  const app = testApp({ env: { BOT_MARKET_SYMBOLS: 'BTC/USDT,ETH/USDT', BOT_PORTFOLIO_START_BALANCE: '10000' } });
  const seen: string[] = [];
  const marked: PortfolioMarked[] = [];
  let final: PortfolioFinal | undefined;
  app.bus.tap((m) => {
    if (m.topic === 'market.candle') seen.push(`candle ${(m.payload as Candle).symbol}`);
    else if (m.topic === 'market.period') seen.push('period');
    else if (m.topic === 'portfolio.marked') {
      const payload = m.payload as PortfolioMarked;
      marked.push(payload);
      seen.push(`marked ${payload.equity}`);
    } else if (m.topic === 'portfolio.final') final = m.payload as PortfolioFinal;
  });
  await app.agent('config').start();
  await app.agent('portfolio').start();
  return { app, seen, marked, final: () => final };
}

function period(app: TestApp, time: number, closes: Record<string, number>): void {
  let candles = 0;
  for (const [symbol, close] of Object.entries(closes)) {
    app.bus.publish('test', 'market.candle', candle(symbol, time, close));
    candles += 1;
  }
  app.bus.publish('test', 'market.period', { time, candles });
}

describe('PortfolioAgent marks at the end of a period', () => {
  it('publishes portfolio.marked after market.period, and only when the equity moved', async () => {
    const { app, seen, marked } = await books();
    // 10 BTC at 100 and 100 ETH at 10: cash 8 000, equity 10 000.
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100));
    app.bus.publish('test', 'order.filled', buy('ETH/USDT', 100, 10));

    // BTC down 200, ETH up 200: 8 000 + 800 + 1 200 = 10 000, unchanged at the end of the period.
    period(app, MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 12 });
    expect(seen).toEqual(['candle BTC/USDT', 'candle ETH/USDT', 'period']);
    expect(marked).toEqual([]);

    // ETH back to 11: 8 000 + 800 + 1 100 = 9 900.
    period(app, 2 * MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 11 });
    expect(seen.slice(3)).toEqual(['candle BTC/USDT', 'candle ETH/USDT', 'period', 'marked 9900']);
    expect(marked).toEqual([{ time: 2 * MINUTE, equity: 9_900, positionsValue: 1_900 }]);

    // Same prices: no message.
    period(app, 3 * MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 11 });
    expect(marked).toHaveLength(1);

    // Only BTC has a candle: 8 000 + 850 + 1 100 = 9 950, ETH keeping its last price.
    period(app, 4 * MINUTE, { 'BTC/USDT': 85 });
    expect(seen.slice(-3)).toEqual(['candle BTC/USDT', 'period', 'marked 9950']);
    expect(marked[1]).toEqual({ time: 4 * MINUTE, equity: 9_950, positionsValue: 1_950 });
  });

  it('publishes nothing on candles alone, before their period ends', async () => {
    const { app, marked } = await books();
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100));
    app.bus.publish('test', 'market.candle', candle('BTC/USDT', MINUTE, 120));
    app.bus.publish('test', 'market.candle', candle('ETH/USDT', MINUTE, 3));
    expect(marked).toEqual([]);
    app.bus.publish('test', 'market.period', { time: MINUTE, candles: 2 });
    // 9 000 cash + 10 x 120
    expect(marked).toEqual([{ time: MINUTE, equity: 10_200, positionsValue: 1_200 }]);
  });

  it('records the equity per period, so a period marked half-way does not count as a drawdown', async () => {
    const { app, final } = await books();
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100));
    app.bus.publish('test', 'order.filled', buy('ETH/USDT', 100, 10));
    // Between the BTC and the ETH candle the books would say 9 800 (-2 %); the period ends at 10 000.
    period(app, MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 12 });
    // 9 900: -1 % from the 10 000 peak, the worst of the run.
    period(app, 2 * MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 11 });
    period(app, 3 * MINUTE, { 'BTC/USDT': 85, 'ETH/USDT': 11 });
    await app.agent('portfolio').stop();
    expect(final()?.summary).toMatchObject({ maxDrawdownPct: 1, finalEquity: 9_950, candles: 3, openPositions: 2 });
  });
});

describe('PortfolioAgent in the running app', () => {
  it('follows every market.period with at most one portfolio.marked, never in the middle of a period', async () => {
    const btc = [100, 100, 103, 101, 101, 104];
    const eth = [10, 10, 11, 11, 12, 12];
    const periods = btc.map((b, i): MarketEvent[] => [
      { kind: 'candle', candle: candle('BTC/USDT', i * MINUTE, b) },
      { kind: 'candle', candle: candle('ETH/USDT', i * MINUTE, eth[i]!) },
    ]);
    let at = 0;
    const source: MarketSource = { description: 'scripted test market', symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', next: () => periods[at++] };
    const app = testApp({
      marketSource: source,
      strategiesDir: APP_STRATEGIES,
      env: {
        BOT_MARKET_SYMBOLS: 'BTC/USDT,ETH/USDT',
        BOT_MARKET_SPEED: '100',
        BOT_ANALYSIS_STRATEGIES: 'scripted',
        // Both symbols enter on their first candle and fill at the second one's open.
        BOT_STRATEGY_PARAMS: JSON.stringify({ scripted: { enterAt: '1' } }),
        BOT_TRADE_FEES_MAKER: '0',
        BOT_TRADE_FEES_TAKER: '0',
        BOT_TRADE_SLIPPAGE_BPS: '0',
        BOT_TRADE_STOP_LOSS_PCT: '0',
        BOT_TRADE_STAKE: '10%',
      },
    });
    const topics: string[] = [];
    app.bus.tap((m) => {
      if (m.topic === 'market.candle' || m.topic === 'market.period' || m.topic === 'portfolio.marked' || m.topic === 'order.filled') topics.push(m.topic);
    });
    const marked: PortfolioMarked[] = [];
    app.bus.subscribe('test', 'portfolio.marked', ({ payload }) => {
      marked.push(payload);
    });
    await app.orchestrator.startAll();
    app.clock.advance(1_000);

    expect(topics.filter((t) => t === 'order.filled')).toHaveLength(2);
    expect(topics.filter((t) => t === 'market.period')).toHaveLength(6);
    topics.forEach((topic, i) => {
      if (topic === 'portfolio.marked') expect(topics[i - 1]).toBe('market.period');
    });
    // Both entries are decided on the first candles' closes, on an equity of 10 000: 1 000 each, filled at
    // the second candles' opens, 10 BTC at 100 and 100 ETH at 10; cash 8 000. That period ends where it
    // started (the fills' own snapshots said 10 000 already): no message. Periods 2 to 5 close at
    // BTC 103 101 101 104 and ETH 11 11 12 12:
    // 8 000 + 1 030 + 1 100 = 10 130; 8 000 + 1 010 + 1 100 = 10 110; 8 000 + 1 010 + 1 200 = 10 210;
    // 8 000 + 1 040 + 1 200 = 10 240.
    // (The very first period announces the starting equity: nothing was published before it.)
    expect(marked[0]).toEqual({ time: 0, equity: 10_000, positionsValue: 0 });
    expect(marked.slice(1).map((m) => [m.time / MINUTE, m.equity, m.positionsValue])).toEqual([
      [2, 10_130, 2_130],
      [3, 10_110, 2_110],
      [4, 10_210, 2_210],
      [5, 10_240, 2_240],
    ]);
  });
});
