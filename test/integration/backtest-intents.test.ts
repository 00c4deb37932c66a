import { fillsSeen } from '../fixtures/app-strategies/partial-exits';
import { backtest, flat } from '../helpers/backtest-harness';

describe('a backtest with sized entries, partial exits and onFill', () => {
  it('spends half the stake, sells a quarter, then the rest, each at the next open; tells the strategy every fill', async () => {
    fillsSeen.length = 0;
    // Decisions on the closes of candles 2, 4 and 6 fill at the opens of candles 3, 5 and 7.
    const outcome = await backtest([flat('BTC/USDT', [100, 100, 100, 110, 120, 130, 140, 150])], { strategy: 'partial-exits', fee: '0', stake: 'all', balance: '10000' });
    // Half of all 10,000 at 100: 50 BTC. A quarter (12.5) sold at 120, the other 37.5 at 140. A fill comes at
    // the next candle's open, before the strategy sees that candle: its context is still the deciding one.
    expect(fillsSeen).toEqual(['buy 50.000000 @ 100 (candle 2)', 'sell 12.500000 @ 120 (candle 4)', 'sell 37.500000 @ 140 (candle 6)']);
    const { summary, closedTrades } = outcome.final;
    expect(summary.trades).toBe(1);
    expect(summary.finalEquity).toBeCloseTo(5000 + 12.5 * 120 + 37.5 * 140, 9);
    expect(closedTrades).toHaveLength(1);
    expect(closedTrades[0]).toMatchObject({ qty: 50, entryPrice: 100 });
  });
});
