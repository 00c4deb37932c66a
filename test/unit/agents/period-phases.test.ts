import type { ClosedTrade } from '../../../src/portfolio/types';
import type { MarketEvent } from '../../../src/market/types';
import { movingCandle, scriptedMarketApp } from '../../helpers/scripted-app';

const MINUTE = 60_000;

/** BTC and ETH rising and falling a little each period: every trade closes at a price of its own. */
function periods(count: number): MarketEvent[][] {
  return Array.from({ length: count }, (_, i) =>
    ['BTC/USDT', 'ETH/USDT'].map((symbol, s): MarketEvent => {
      const base = (s === 0 ? 100 : 10) * (1 + 0.01 * Math.sin(i + s));
      return { kind: 'candle', candle: movingCandle(symbol, i * MINUTE, base, base * (1 + 0.002 * Math.cos(i))) };
    }),
  );
}

/** flip-flop enters every 2nd candle and exits on the next one: its exit needs the fill of that very period's open. */
async function trades(restartTradeAfter?: number): Promise<ClosedTrade[]> {
  const app = scriptedMarketApp(periods(40), {
    BOT_ANALYSIS_STRATEGIES: 'flip-flop',
    BOT_STRATEGY_PARAMS: '{"flip-flop":{"every":2,"hold":1}}',
    BOT_TRADE_STAKE: '20%',
  });
  const closed: ClosedTrade[] = [];
  app.bus.subscribe('test', 'position.closed', ({ payload }) => void closed.push(payload));
  await app.orchestrator.startAll();
  if (restartTradeAfter !== undefined) {
    app.clock.advance(10 * restartTradeAfter);
    await app.orchestrator.restart('trade');
  }
  app.clock.advance(10 * 40);
  await app.orchestrator.stopAll('test over');
  return closed;
}

describe('the phases of a candle period', () => {
  it('trade the same after the trade agent restarted: fills still come before the decisions', async () => {
    const uninterrupted = await trades();
    // Restarted after the first period, before any order: the trade agent now subscribes after the analysis agent.
    const restarted = await trades(1);
    expect(uninterrupted.length).toBeGreaterThan(10);
    expect(restarted).toEqual(uninterrupted);
  });
});
