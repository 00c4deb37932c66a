import type { PortfolioMarked, Signal } from '../../../src/bus/topics';
import type { Fill, Order } from '../../../src/execution/types';
import type { Candle, MarketEvent } from '../../../src/market/types';
import type { PortfolioSnapshot } from '../../../src/portfolio/types';
import { movingCandle, scriptedMarketApp } from '../../helpers/scripted-app';
import type { TestApp } from '../../helpers/test-app';

const MINUTE = 60_000;

function flat(symbol: string, time: number, price: number): MarketEvent {
  const candle: Candle = { symbol, timeframe: '1m', time, open: price, high: price, low: price, close: price, volume: 1 };
  return { kind: 'candle', candle };
}

/** A candle that opens at `open` and closes at `close`, moving only between the two. */
function moving(symbol: string, time: number, open: number, close: number): MarketEvent {
  return { kind: 'candle', candle: movingCandle(symbol, time, open, close) };
}

function tick(symbol: string, time: number, price: number): MarketEvent {
  return { kind: 'tick', tick: { symbol, time, price, volume: 1 } };
}

function enter(symbol: string, candleTime: number, price: number): Signal {
  return { symbol, action: 'enter', strength: 1, reason: 'test entry', strategy: 'test', candleTime, price };
}

function reduce(symbol: string, candleTime: number, price: number, fraction: number): Signal {
  return { symbol, action: 'reduce', fraction, strength: 1, reason: 'test reduce', strategy: 'test', candleTime, price };
}

/** The first period of most scenarios: BTC at 100, ETH at 10, nothing held. */
const OPENING: MarketEvent[] = [flat('BTC/USDT', 0, 100), flat('ETH/USDT', 0, 10)];

/** Plays the opening period, then signals a BTC entry at its close of 100: it fills at the next period's open. */
function enterBtcAfterOpening(app: TestApp, play: (count: number) => void): void {
  play(1);
  app.bus.publish('test', 'signal.emitted', enter('BTC/USDT', 0, 100));
}

/**
 * The whole app on scripted candles, played one period per 10 ms of the clock (100 candles/s). Its only
 * strategy never trades: the test sends the signals itself. No fees, slippage or stops, so every figure
 * is round.
 */
async function tradingApp(periods: MarketEvent[][], stake: string) {
  const app = scriptedMarketApp(periods, {
    BOT_MARKET_SYMBOLS: 'BTC/USDT,ETH/USDT,SOL/USDT',
    BOT_PORTFOLIO_START_BALANCE: '10000',
    BOT_TRADE_STAKE: stake,
    BOT_RISK_MAX_POSITION_PCT: '100',
  });
  const submitted: Order[] = [];
  app.bus.subscribe('test', 'order.submitted', ({ payload }) => {
    submitted.push(payload.order);
  });
  const snapshots: PortfolioSnapshot[] = [];
  app.bus.subscribe('test', 'portfolio.updated', ({ payload }) => {
    snapshots.push(payload);
  });
  const filled: Fill[] = [];
  app.bus.subscribe('test', 'order.filled', ({ payload }) => {
    filled.push(payload.fill);
  });
  const marked: PortfolioMarked[] = [];
  app.bus.subscribe('test', 'portfolio.marked', ({ payload }) => {
    marked.push(payload);
  });
  await app.orchestrator.startAll();
  const play = (count: number) => app.clock.advance(10 * count);
  const portfolio = (): Promise<PortfolioSnapshot> => app.bus.request('test', 'portfolio.snapshot', {});
  return { app, submitted, snapshots, filled, marked, play, portfolio };
}

describe('TradeAgent sizing a percentage stake', () => {
  it('sizes on the equity marked at the latest prices, a position in another symbol having moved since its fill', async () => {
    const { app, submitted, snapshots, play } = await tradingApp(
      [
        OPENING,
        [flat('BTC/USDT', MINUTE, 100), flat('ETH/USDT', MINUTE, 10)],
        [flat('BTC/USDT', 2 * MINUTE, 120), flat('ETH/USDT', 2 * MINUTE, 10)],
      ],
      '10%',
    );
    enterBtcAfterOpening(app, play);
    // 10 % of the 10 000 equity.
    expect(submitted[0]?.quoteAmount).toBe(1_000);
    play(1);
    // Filled at the next open, 100: 10 BTC, cash 9 000, and the portfolio's last word is 10 000.
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ cash: 9_000, equity: 10_000 });
    expect(snapshots[0]?.positions[0]).toMatchObject({ symbol: 'BTC/USDT', qty: 10, lastPrice: 100 });

    play(1);
    // BTC closed at 120 since, with no fill: 9 000 + 10 x 120 = 10 200; 10 % of it is 1 020.
    app.bus.publish('test', 'signal.emitted', enter('ETH/USDT', 2 * MINUTE, 10));
    expect(snapshots).toHaveLength(1);
    expect(submitted[1]).toMatchObject({ symbol: 'ETH/USDT', side: 'buy' });
    expect(submitted[1]?.quoteAmount).toBeCloseTo(1_020, 9);
  });

  it('follows a price down, and values every position at its own latest price after a later fill', async () => {
    const { app, submitted, snapshots, play } = await tradingApp(
      [
        OPENING,
        [flat('BTC/USDT', MINUTE, 100), flat('ETH/USDT', MINUTE, 10)],
        [flat('BTC/USDT', 2 * MINUTE, 80), flat('ETH/USDT', 2 * MINUTE, 10)],
        [flat('BTC/USDT', 3 * MINUTE, 80), flat('ETH/USDT', 3 * MINUTE, 10)],
        [flat('BTC/USDT', 4 * MINUTE, 80), flat('ETH/USDT', 4 * MINUTE, 12)],
      ],
      '10%',
    );
    enterBtcAfterOpening(app, play);
    play(2);
    // 10 BTC bought at 100, now at 80: 9 000 + 10 x 80 = 9 800; 10 % is 980.
    app.bus.publish('test', 'signal.emitted', enter('ETH/USDT', 2 * MINUTE, 10));
    expect(submitted[1]?.quoteAmount).toBeCloseTo(980, 9);
    play(1);
    // Filled at ETH's next open, 10: 98 ETH, cash 8 020; the fill's snapshot has BTC at 80 already.
    expect(snapshots[1]).toMatchObject({ cash: 8_020, equity: 9_800 });
    play(1);
    // ETH has closed at 12 since, BTC still at 80: 8 020 + 800 + 98 x 12 = 8 020 + 800 + 1 176 = 9 996.
    app.bus.publish('test', 'signal.emitted', enter('SOL/USDT', 4 * MINUTE, 5));
    expect(submitted[2]).toMatchObject({ symbol: 'SOL/USDT', side: 'buy' });
    expect(submitted[2]?.quoteAmount).toBeCloseTo(999.6, 9);
  });

  it('sizes on the portfolio snapshot as it is when no price moved since it', async () => {
    const { app, submitted, play } = await tradingApp(
      [
        OPENING,
        [flat('BTC/USDT', MINUTE, 100), flat('ETH/USDT', MINUTE, 10)],
        [flat('BTC/USDT', 2 * MINUTE, 100), flat('ETH/USDT', 2 * MINUTE, 11)],
      ],
      '25%',
    );
    enterBtcAfterOpening(app, play);
    play(2);
    // 25 BTC at 100, still at 100 (ETH moved, but nothing is held of it): 25 % of 10 000 again.
    app.bus.publish('test', 'signal.emitted', enter('ETH/USDT', 2 * MINUTE, 11));
    expect(submitted.map((o) => o.quoteAmount)).toEqual([2_500, 2_500]);
  });
});

/**
 * The trade agent fills on a period's market.candles, at the opens, and the portfolio values the fill at
 * its price; the portfolio marks the closes on market.period, once the period is over. The trade agent sizes
 * an entry on its last snapshot marked to the fill model's last prices, the same closes: both agree on the
 * equity.
 */
describe('TradeAgent and PortfolioAgent agree on a position filled during the period', () => {
  it('values a position bought at the open at the fill price, then at the close, and sizes the next entry on the equity the portfolio reports', async () => {
    const { app, submitted, snapshots, filled, marked, play, portfolio } = await tradingApp(
      [
        OPENING,
        [moving('BTC/USDT', MINUTE, 100, 120), flat('ETH/USDT', MINUTE, 10)],
        [flat('BTC/USDT', 2 * MINUTE, 120), flat('ETH/USDT', 2 * MINUTE, 10)],
      ],
      '10%',
    );
    enterBtcAfterOpening(app, play);
    expect(submitted[0]?.quoteAmount).toBe(1_000);
    play(1);
    // Filled at the open, 100: 10 BTC, cash 9 000; the fill's snapshot has BTC at its fill price: 10 000.
    expect(filled).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', side: 'buy', qty: 10, price: 100, time: MINUTE })]);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ cash: 9_000, positionsValue: 1_000, equity: 10_000 });
    expect(snapshots[0]?.positions[0]).toMatchObject({ symbol: 'BTC/USDT', qty: 10, lastPrice: 100 });
    // The period is over: BTC marked at its close of 120, 9 000 + 10 x 120 = 10 200.
    expect(marked.filter((m) => m.time > 0)).toEqual([{ time: MINUTE, equity: 10_200, positionsValue: 1_200 }]);
    const after = await portfolio();
    expect(after).toMatchObject({ cash: 9_000, equity: 10_200 });
    expect(after.positions[0]).toMatchObject({ symbol: 'BTC/USDT', lastPrice: 120 });

    // 10 % of the portfolio's 10 200.
    app.bus.publish('test', 'signal.emitted', enter('ETH/USDT', MINUTE, 10));
    expect(submitted[1]).toMatchObject({ symbol: 'ETH/USDT', side: 'buy' });
    expect(submitted[1]?.quoteAmount).toBeCloseTo(after.equity * 0.1, 9);
    expect(submitted[1]?.quoteAmount).toBeCloseTo(1_020, 9);

    // The next period fills 102 ETH at 10 (cash 7 980, BTC at its last mark of 120: 7 980 + 1 200 + 1 020 =
    // 10 200) and closes BTC at 120 again: the close was marked in its own period, so nothing is marked late.
    play(1);
    expect(snapshots[1]).toMatchObject({ cash: 7_980, equity: 10_200 });
    expect(marked.filter((m) => m.time > 0)).toHaveLength(1);
  });

  it('values the rest of a position reduced at the open at the fill price, then at the close', async () => {
    const { app, submitted, snapshots, marked, play, portfolio } = await tradingApp(
      [
        OPENING,
        [flat('BTC/USDT', MINUTE, 100), flat('ETH/USDT', MINUTE, 10)],
        [moving('BTC/USDT', 2 * MINUTE, 120, 130), flat('ETH/USDT', 2 * MINUTE, 10)],
      ],
      '10%',
    );
    enterBtcAfterOpening(app, play);
    play(1);
    // 10 BTC at 100; half of it sold at the next open, 120: cash 9 000 + 600 = 9 600, realized 5 x 20 = 100,
    // the 5 left at the fill price = 600, equity 10 200.
    app.bus.publish('test', 'signal.emitted', reduce('BTC/USDT', MINUTE, 100, 0.5));
    expect(submitted[1]).toMatchObject({ symbol: 'BTC/USDT', side: 'sell', qty: 5 });
    play(1);
    expect(snapshots[1]).toMatchObject({ cash: 9_600, positionsValue: 600, equity: 10_200, realizedPnl: 100 });
    expect(snapshots[1]?.positions[0]).toMatchObject({ symbol: 'BTC/USDT', qty: 5, lastPrice: 120 });
    // At the period's close of 130: the 5 left = 650, equity 10 250.
    expect(marked.at(-1)).toEqual({ time: 2 * MINUTE, equity: 10_250, positionsValue: 650 });
    const after = await portfolio();
    expect(after).toMatchObject({ equity: 10_250 });

    // 10 % of 10 250.
    app.bus.publish('test', 'signal.emitted', enter('ETH/USDT', 2 * MINUTE, 10));
    expect(submitted[2]?.quoteAmount).toBeCloseTo(after.equity * 0.1, 9);
    expect(submitted[2]?.quoteAmount).toBeCloseTo(1_025, 9);
  });

  it('values a position filled on a tick at the tick\'s price, not at an older candle\'s close', async () => {
    // With ticks flowing the broker fills on them and ignores the candles that repeat their prices. BTC's
    // candle at 0 closes at 100 and is the last one the portfolio hears before the next period's ticks.
    const { app, submitted, snapshots, filled, play, portfolio } = await tradingApp(
      [
        [tick('ETH/USDT', 0, 10), tick('BTC/USDT', 0, 100), flat('ETH/USDT', 0, 10), flat('BTC/USDT', 0, 100)],
        [
          tick('ETH/USDT', MINUTE, 10),
          tick('BTC/USDT', MINUTE, 125),
          tick('BTC/USDT', MINUTE + 30_000, 150),
          flat('ETH/USDT', MINUTE, 10),
          moving('BTC/USDT', MINUTE, 125, 150),
        ],
      ],
      '10%',
    );
    const topics: string[] = [];
    app.bus.tap((m) => {
      const watched = ['market.tick', 'market.candles', 'market.period', 'order.filled', 'portfolio.updated'];
      if (watched.includes(m.topic)) topics.push(m.topic);
    });
    enterBtcAfterOpening(app, play);
    expect(submitted[0]?.quoteAmount).toBe(1_000);
    topics.length = 0;
    play(1);
    // Filled on BTC's first tick of the period, at 125: 8 BTC, cash 9 000, 8 x 125 = 1 000, equity 10 000.
    expect(filled).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', qty: 8, price: 125, time: MINUTE })]);
    // The period's ticks first, one by one, then its candles, then its end.
    expect(topics).toEqual(['market.tick', 'market.tick', 'order.filled', 'portfolio.updated', 'market.tick', 'market.candles', 'market.period']);
    expect(snapshots[0]).toMatchObject({ cash: 9_000, positionsValue: 1_000, equity: 10_000 });
    expect(snapshots[0]?.positions[0]).toMatchObject({ symbol: 'BTC/USDT', qty: 8, lastPrice: 125 });
    // Then the tick at 150 and the candle closing there: 9 000 + 1 200 = 10 200, and 10 % of it is 1 020.
    expect(await portfolio()).toMatchObject({ equity: 10_200 });
    app.bus.publish('test', 'signal.emitted', enter('ETH/USDT', MINUTE, 10));
    expect(submitted[1]?.quoteAmount).toBeCloseTo(1_020, 9);
  });
});
