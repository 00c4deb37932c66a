import type { Order, Fill } from '../../../src/execution/types';
import type { Candle, MarketEvent } from '../../../src/market/types';
import type { MarketPeriod, PortfolioFinal, PortfolioMarked, Signal } from '../../../src/bus/topics';
import type { ClosedTrade, PortfolioSnapshot } from '../../../src/portfolio/types';
import { movingCandle, scriptedMarketApp } from '../../helpers/scripted-app';
import { testApp, type TestApp } from '../../helpers/test-app';

const MINUTE = 60_000;
/** The test app's clock starts here: the portfolio stamps its snapshots with the latest of it and the market's time. */
const T0 = Date.UTC(2024, 0, 1);

function candle(symbol: string, time: number, close: number): Candle {
  return { symbol, timeframe: '1m', time, open: close, high: close, low: close, close, volume: 1 };
}

/** A candle that opens at `open` and closes at `close`, moving only between the two. */
const moving = movingCandle;

let sequence = 0;
function buy(symbol: string, qty: number, price: number, time = 0): { order: Order; fill: Fill } {
  return trade('buy', symbol, qty, price, time);
}

function sell(symbol: string, qty: number, price: number, time = 0): { order: Order; fill: Fill } {
  return trade('sell', symbol, qty, price, time);
}

function trade(side: 'buy' | 'sell', symbol: string, qty: number, price: number, time: number): { order: Order; fill: Fill } {
  const clientOrderId = `t-${++sequence}`;
  return {
    order: { clientOrderId, symbol, side, type: 'market', qty, reason: 'signal', origin: 'test', createdAt: time },
    fill: { clientOrderId, symbol, side, qty, price, fee: 0, liquidity: 'taker', reason: 'signal', time },
  };
}

/** Every portfolio.updated from now on: one per fill. */
function updates(app: TestApp): PortfolioSnapshot[] {
  const seen: PortfolioSnapshot[] = [];
  app.bus.subscribe('test', 'portfolio.updated', ({ payload }) => {
    seen.push(payload);
  });
  return seen;
}

const snapshot = (app: TestApp): Promise<PortfolioSnapshot> => app.bus.request('test', 'portfolio.snapshot', {});

/** Only the config and portfolio agents run; the test plays the market and the broker on the bus. */
async function books(): Promise<{ app: TestApp; seen: string[]; marked: PortfolioMarked[]; final: () => PortfolioFinal | undefined }> {
  const app = testApp({ env: { BOT_MARKET_SYMBOLS: 'BTC/USDT,ETH/USDT', BOT_PORTFOLIO_START_BALANCE: '10000' } });
  const seen: string[] = [];
  const marked: PortfolioMarked[] = [];
  let final: PortfolioFinal | undefined;
  app.bus.tap((m) => {
    if (m.topic === 'market.candles' || m.topic === 'market.period') {
      const { time, candles } = m.payload as MarketPeriod;
      seen.push(`${m.topic === 'market.period' ? 'period' : 'candles'} ${time / MINUTE}: ${candles.map((c) => c.symbol.split('/')[0]).join(' ')}`);
    } else if (m.topic === 'portfolio.marked') {
      const payload = m.payload as PortfolioMarked;
      marked.push(payload);
      seen.push(`marked ${payload.equity}`);
    } else if (m.topic === 'portfolio.final') final = m.payload as PortfolioFinal;
  });
  await app.agent('config').start();
  await app.agent('portfolio').start();
  return { app, seen, marked, final: () => final };
}

/** A period's candles as the data agent publishes them: its time is the candles' (the last one's). */
function periodOf(...candles: Candle[]): MarketPeriod {
  return { time: candles[candles.length - 1]!.time, candles };
}

/** The end of a period of flat candles closing at `closes`, as the portfolio hears it. */
function period(app: TestApp, time: number, closes: Record<string, number>): void {
  app.bus.publish('test', 'market.period', periodOf(...Object.entries(closes).map(([symbol, close]) => candle(symbol, time, close))));
}

describe('PortfolioAgent marks at the end of a period', () => {
  it('publishes portfolio.marked after market.period, and only when the equity moved', async () => {
    const { app, seen, marked } = await books();
    // 10 BTC at 100 and 100 ETH at 10: cash 8 000, equity 10 000.
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100));
    app.bus.publish('test', 'order.filled', buy('ETH/USDT', 100, 10));

    // BTC down 200, ETH up 200: 8 000 + 800 + 1 200 = 10 000, unchanged at the end of the period.
    period(app, MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 12 });
    expect(seen).toEqual(['period 1: BTC ETH']);
    expect(marked).toEqual([]);

    // ETH back to 11: 8 000 + 800 + 1 100 = 9 900.
    period(app, 2 * MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 11 });
    expect(seen.slice(1)).toEqual(['period 2: BTC ETH', 'marked 9900']);
    expect(marked).toEqual([{ time: 2 * MINUTE, equity: 9_900, positionsValue: 1_900 }]);

    // Same prices: no message.
    period(app, 3 * MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 11 });
    expect(marked).toHaveLength(1);

    // Only BTC has a candle: 8 000 + 850 + 1 100 = 9 950, ETH keeping its last price.
    period(app, 4 * MINUTE, { 'BTC/USDT': 85 });
    expect(seen.slice(-2)).toEqual(['period 4: BTC', 'marked 9950']);
    expect(marked[1]).toEqual({ time: 4 * MINUTE, equity: 9_950, positionsValue: 1_950 });
  });

  it('publishes nothing and marks nothing on market.candles: the period\'s closes count once the period is over', async () => {
    const { app, seen, marked } = await books();
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100));
    const closes = periodOf(candle('BTC/USDT', MINUTE, 120), candle('ETH/USDT', MINUTE, 3));
    app.bus.publish('test', 'market.candles', closes);
    expect(marked).toEqual([]);
    // Still at the fill's price: 9 000 cash + 10 x 100.
    expect(await snapshot(app)).toMatchObject({ positionsValue: 1_000, equity: 10_000 });
    app.bus.publish('test', 'market.period', closes);
    // 9 000 cash + 10 x 120
    expect(seen).toEqual(['candles 1: BTC ETH', 'period 1: BTC ETH', 'marked 10200']);
    expect(marked).toEqual([{ time: MINUTE, equity: 10_200, positionsValue: 1_200 }]);
  });

  it('records the equity per period, so the symbols\' closes of one period are never taken half-way', async () => {
    const { app, final } = await books();
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100));
    app.bus.publish('test', 'order.filled', buy('ETH/USDT', 100, 10));
    // With BTC's close and not yet ETH's the books would say 9 800 (-2 %); the period ends at 10 000.
    period(app, MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 12 });
    // 9 900: -1 % from the 10 000 peak, the worst of the run.
    period(app, 2 * MINUTE, { 'BTC/USDT': 80, 'ETH/USDT': 11 });
    period(app, 3 * MINUTE, { 'BTC/USDT': 85, 'ETH/USDT': 11 });
    await app.agent('portfolio').stop();
    expect(final()?.summary).toMatchObject({ maxDrawdownPct: 1, finalEquity: 9_950, candles: 3, openPositions: 2 });
  });
});

/**
 * The data agent publishes a period's candles as market.candles, on which the broker fills at the opens,
 * then the same candles as market.period, on which the portfolio marks the closes. The portfolio values a
 * fill at its own price (what the position was worth at the fill's time), and the period at its closes.
 * The test plays the market and the broker in that order: market.candles, the fill stamped with the
 * candles' time, market.period.
 */
describe('PortfolioAgent values a fill at its price, and the period it was made in at the closes', () => {
  it('reports a position bought at the open at the fill price in its portfolio.updated, then at the close once the period is over', async () => {
    const { app, marked } = await books();
    const updated = updates(app);
    // BTC opens at 100 and closes at 120; 10 BTC bought at the open: cash 9 000, 10 x 100 = 1 000, equity 10 000.
    const first = periodOf(moving('BTC/USDT', T0 + MINUTE, 100, 120));
    app.bus.publish('test', 'market.candles', first);
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100, T0 + MINUTE));

    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ time: T0 + MINUTE, cash: 9_000, positionsValue: 1_000, equity: 10_000 });
    expect(updated[0]?.positions).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', qty: 10, avgEntry: 100, lastPrice: 100, unrealizedPnl: 0 })]);
    expect(await snapshot(app)).toMatchObject({ time: T0 + MINUTE, equity: 10_000 });

    // The period ends: 10 x 120 = 1 200, equity 10 200, a move from the fill's 10 000.
    app.bus.publish('test', 'market.period', first);
    expect(marked).toEqual([{ time: T0 + MINUTE, equity: 10_200, positionsValue: 1_200 }]);
    const now = await snapshot(app);
    expect(now).toMatchObject({ time: T0 + MINUTE, cash: 9_000, positionsValue: 1_200, equity: 10_200 });
    expect(now.positions[0]).toMatchObject({ symbol: 'BTC/USDT', lastPrice: 120, unrealizedPnl: 200 });
    expect(updated).toHaveLength(1);

    // Marked in its own period, the close is not reported again when the next period closes at the same price.
    period(app, T0 + 2 * MINUTE, { 'BTC/USDT': 120 });
    expect(marked).toHaveLength(1);
    period(app, T0 + 3 * MINUTE, { 'BTC/USDT': 125 });
    expect(marked[1]).toEqual({ time: T0 + 3 * MINUTE, equity: 10_250, positionsValue: 1_250 });
  });

  it('values the fill at its price and the other positions at their last marks, then the period at every symbol\'s close', async () => {
    const { app, marked } = await books();
    const updated = updates(app);
    // 100 ETH at 10: cash 9 000.
    app.bus.publish('test', 'order.filled', buy('ETH/USDT', 100, 10));
    // 10 BTC at BTC's open of 100 (it closes at 120); ETH closes at 11. After the fill: cash 8 000, BTC at
    // its fill price and ETH at its last price, 8 000 + 1 000 + 1 000 = 10 000.
    const first = periodOf(moving('BTC/USDT', MINUTE, 100, 120), candle('ETH/USDT', MINUTE, 11));
    app.bus.publish('test', 'market.candles', first);
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100, MINUTE));
    expect(updated[1]).toMatchObject({ cash: 8_000, positionsValue: 2_000, equity: 10_000 });
    // At the end of the period, at the closes: 8 000 + 1 200 + 1 100 = 10 300.
    app.bus.publish('test', 'market.period', first);
    expect(marked).toEqual([{ time: MINUTE, equity: 10_300, positionsValue: 2_300 }]);
    const now = await snapshot(app);
    expect(now.positions.map((p) => [p.symbol, p.lastPrice])).toEqual([
      ['ETH/USDT', 11],
      ['BTC/USDT', 120],
    ]);
  });

  it('values the rest of a position reduced at the open at the fill price, then at the period\'s close', async () => {
    const { app, marked } = await books();
    const updated = updates(app);
    // 10 BTC at 100: cash 9 000. BTC opens at 120 and closes at 130; 4 sold at the open: cash 9 000 + 480 =
    // 9 480, realized (120 - 100) x 4 = 80; the 6 left at the fill price 120 = 720, equity 10 200.
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100));
    const first = periodOf(moving('BTC/USDT', MINUTE, 120, 130));
    app.bus.publish('test', 'market.candles', first);
    app.bus.publish('test', 'order.filled', sell('BTC/USDT', 4, 120, MINUTE));
    expect(updated[1]).toMatchObject({ cash: 9_480, positionsValue: 720, equity: 10_200, realizedPnl: 80 });
    expect(updated[1]?.positions).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', qty: 6, lastPrice: 120 })]);

    // The 6 left at the close of 130 = 780, equity 10 260.
    app.bus.publish('test', 'market.period', first);
    expect(marked).toEqual([{ time: MINUTE, equity: 10_260, positionsValue: 780 }]);
    expect(await snapshot(app)).toMatchObject({ cash: 9_480, positionsValue: 780, equity: 10_260, realizedPnl: 80 });
  });

  it('has nothing to mark after a sell that closes the position at the open', async () => {
    const { app, marked, final } = await books();
    const updated = updates(app);
    const closed: ClosedTrade[] = [];
    app.bus.subscribe('test', 'position.closed', ({ payload }) => {
      closed.push(payload);
    });
    // 10 BTC at 100, all sold at the next candle's open of 120 (it closes at 130): cash 10 200, nothing held.
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 100));
    const first = periodOf(moving('BTC/USDT', MINUTE, 120, 130));
    app.bus.publish('test', 'market.candles', first);
    app.bus.publish('test', 'order.filled', sell('BTC/USDT', 10, 120, MINUTE));
    app.bus.publish('test', 'market.period', first);

    expect(updated[1]).toEqual(expect.objectContaining({ cash: 10_200, positions: [], positionsValue: 0, equity: 10_200, realizedPnl: 200 }));
    expect(await snapshot(app)).toMatchObject({ cash: 10_200, positions: [], equity: 10_200 });
    expect(marked).toEqual([]);
    await app.agent('portfolio').stop();
    expect(closed).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', exitTime: MINUTE, exitPrice: 120, pnl: 200 })]);
    expect(final()?.summary).toMatchObject({ finalEquity: 10_200, openPositions: 0 });
  });

  it('keeps a fill made after the period (a live fill with its own time) at its price, not the candle\'s close', async () => {
    const { app } = await books();
    const updated = updates(app);
    // BTC's candle closed at 120; a fill 5 s later at 121 is the newer price. 10 BTC: cash 8 790, 1 210, equity 10 000.
    app.bus.publish('test', 'market.period', periodOf(moving('BTC/USDT', MINUTE, 100, 120)));
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 121, MINUTE + 5_000));
    expect(updated[0]).toMatchObject({ cash: 8_790, positionsValue: 1_210, equity: 10_000 });
    expect(updated[0]?.positions[0]).toMatchObject({ symbol: 'BTC/USDT', lastPrice: 121 });
  });

  it('keeps a fill on a tick at the tick\'s price, even when the tick is stamped with the open time of the period just marked', async () => {
    const { app } = await books();
    const updated = updates(app);
    // The period at MINUTE closed BTC at 120; a tick at the same time says 130 and the broker fills on it.
    // 10 BTC at 130: cash 8 700, 1 300, equity 10 000 (at 120 it would read 9 900).
    app.bus.publish('test', 'market.period', periodOf(moving('BTC/USDT', MINUTE, 100, 120)));
    app.bus.publish('test', 'market.tick', { symbol: 'BTC/USDT', time: MINUTE, price: 130, volume: 1 });
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 10, 130, MINUTE));
    expect(updated[0]).toMatchObject({ cash: 8_700, positionsValue: 1_300, equity: 10_000 });
    expect(updated[0]?.positions[0]).toMatchObject({ symbol: 'BTC/USDT', lastPrice: 130 });
    expect(await snapshot(app)).toMatchObject({ equity: 10_000 });
  });

  it('keeps a fill on the next period\'s tick at the tick\'s price, not the last candle\'s close', async () => {
    const { app } = await books();
    const updated = updates(app);
    // The period at 0 closed BTC at 100; the next period's first tick, at 125, fills 8 BTC: cash 9 000,
    // 8 x 125 = 1 000, equity 10 000 (at the old close it would read 9 800).
    period(app, 0, { 'BTC/USDT': 100 });
    app.bus.publish('test', 'market.tick', { symbol: 'BTC/USDT', time: MINUTE, price: 125, volume: 1 });
    app.bus.publish('test', 'order.filled', buy('BTC/USDT', 8, 125, MINUTE));
    expect(updated[0]).toMatchObject({ cash: 9_000, positionsValue: 1_000, equity: 10_000 });
    expect(updated[0]?.positions[0]).toMatchObject({ symbol: 'BTC/USDT', lastPrice: 125 });
  });
});

describe('PortfolioAgent in the running app', () => {
  /** BTC and ETH on scripted periods, played one per 10 ms of the clock; no fees, slippage or stops. */
  function runningApp(periods: MarketEvent[][], params: Record<string, string>) {
    const app = scriptedMarketApp(periods, { BOT_STRATEGY_PARAMS: JSON.stringify({ scripted: params }), BOT_TRADE_STAKE: '10%' });
    const topics: string[] = [];
    app.bus.tap((m) => {
      if (m.topic === 'market.candles' || m.topic === 'market.period' || m.topic === 'portfolio.marked' || m.topic === 'order.filled' || m.topic === 'portfolio.updated') {
        topics.push(m.topic);
      }
    });
    const marked: PortfolioMarked[] = [];
    app.bus.subscribe('test', 'portfolio.marked', ({ payload }) => {
      marked.push(payload);
    });
    const updated = updates(app);
    let final: PortfolioFinal | undefined;
    app.bus.subscribe('test', 'portfolio.final', ({ payload }) => {
      final = payload;
    });
    return { app, topics, marked, updated, final: () => final };
  }

  const flat = (symbol: string, time: number, price: number): MarketEvent => ({ kind: 'candle', candle: candle(symbol, time, price) });

  it('follows every market.period with at most one portfolio.marked, never in the middle of a period', async () => {
    const btc = [100, 100, 103, 101, 101, 104];
    const eth = [10, 10, 11, 11, 12, 12];
    const periods = btc.map((b, i): MarketEvent[] => [flat('BTC/USDT', i * MINUTE, b), flat('ETH/USDT', i * MINUTE, eth[i]!)]);
    // Both symbols enter on their first candle and fill at the second one's open.
    const { app, topics, marked } = runningApp(periods, { enterAt: '1' });
    await app.orchestrator.startAll();
    app.clock.advance(1_000);

    expect(topics.filter((t) => t === 'order.filled')).toHaveLength(2);
    expect(topics.filter((t) => t === 'market.period')).toHaveLength(6);
    topics.forEach((topic, i) => {
      if (topic === 'portfolio.marked') expect(topics[i - 1]).toBe('market.period');
    });
    // The fills happen on the period's market.candles, before its market.period.
    expect(topics.slice(0, 9)).toEqual([
      'market.candles',
      'market.period',
      'portfolio.marked',
      'market.candles',
      'order.filled',
      'portfolio.updated',
      'order.filled',
      'portfolio.updated',
      'market.period',
    ]);
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

  it('does not value a position sold at a period\'s open at that period\'s close: the period is marked after the sale', async () => {
    const moved = (symbol: string, time: number, open: number, close: number): MarketEvent => ({ kind: 'candle', candle: moving(symbol, time, open, close) });
    const { app, topics, marked, updated, final } = runningApp(
      [
        [flat('BTC/USDT', 0, 100), flat('ETH/USDT', 0, 10)],
        [flat('BTC/USDT', MINUTE, 100), flat('ETH/USDT', MINUTE, 10)],
        // BTC opens at 120 and crashes to 60; ETH goes from 10 to 11.
        [moved('BTC/USDT', 2 * MINUTE, 120, 60), moved('ETH/USDT', 2 * MINUTE, 10, 11)],
      ],
      { enterAt: '1' },
    );
    await app.orchestrator.startAll();
    app.clock.advance(20);
    // Both entered at the first closes and filled at the second opens: 10 BTC at 100, 100 ETH at 10, cash 8 000.
    expect(updated[1]).toMatchObject({ cash: 8_000, equity: 10_000 });
    // BTC is sold at the third period's open.
    const exit: Signal = { symbol: 'BTC/USDT', action: 'exit', strength: 1, reason: 'test exit', strategy: 'test', candleTime: MINUTE, price: 100 };
    app.bus.publish('test', 'signal.emitted', exit);
    topics.length = 0;
    app.clock.advance(10);

    expect(topics).toEqual(['market.candles', 'order.filled', 'portfolio.updated', 'market.period', 'portfolio.marked']);
    // Sold at 120: cash 8 000 + 1 200 = 9 200, ETH still at 10: equity 10 200.
    expect(updated[2]).toMatchObject({ cash: 9_200, positionsValue: 1_000, equity: 10_200, realizedPnl: 200 });
    // The period's equity is that cash and ETH at its close, 9 200 + 1 100 = 10 300; with BTC valued at its
    // close of 60 before the sale it would have been 8 000 + 600 + 1 100 = 9 700, a 3 % drawdown.
    expect(marked.at(-1)).toEqual({ time: 2 * MINUTE, equity: 10_300, positionsValue: 1_100 });
    expect(marked.every((m) => m.equity >= 10_000)).toBe(true);
    await app.orchestrator.stopAll('test over');
    expect(final()?.summary).toMatchObject({ maxDrawdownPct: 0, finalEquity: 10_300, cash: 9_200, openPositions: 1, candles: 3 });
  });
});
