import type { Candle } from '../../../src/market/types';
import { resolveParams } from '../../../src/strategy/resolve-params';
import { StrategyRunner } from '../../../src/strategy/strategy-runner';
import smaCross from '../../../strategies/sma-cross';

const candle = (close: number, i: number): Candle => ({ symbol: 'BTC/USDT', timeframe: '1h', time: i * 3_600_000, open: close, high: close, low: close, close, volume: 1 });

describe('sma-cross', () => {
  it('enters when the fast average crosses above the slow one and exits when it crosses below', () => {
    const runner = new StrategyRunner(smaCross, resolveParams(smaCross, { fast: 2, slow: 4 }));
    // SMA2 from index 1, SMA4 from index 3:
    //   index      3     4     5     6      7      8      9      10
    //   SMA2      10   9.5   8.5    10     13   13.5     11      8
    //   SMA4      10  9.75  9.25  9.75  10.25  11.75     12  10.75
    // Index 4 crosses below with no position (nothing); 6 crosses above (enter); 9 crosses below (exit).
    const closes = [10, 10, 10, 10, 9, 8, 12, 14, 13, 9, 7];
    let position: { qty: number; avgEntry: number; entryTime: number } | undefined;
    const actions: string[] = [];
    closes.forEach((close, i) => {
      const result = runner.onCandle(candle(close, i), position);
      if (result.kind !== 'signal') return;
      actions.push(`${result.action}@${i}`);
      position = result.action === 'enter' ? { qty: 1, avgEntry: close, entryTime: i } : undefined;
    });
    expect(actions).toEqual(['enter@6', 'exit@9']);
  });

  it('waits slow + 1 candles and refuses slow <= fast', () => {
    expect(smaCross.warmup(resolveParams(smaCross, { fast: 3, slow: 7 }))).toBe(8);
    expect(() => resolveParams(smaCross, { fast: 30, slow: 30 })).toThrow('slow (30) must be greater than fast (30)');
  });

  it('asks for a stop-loss and take-profit only when its parameters set them, leaving the bot\'s levels otherwise', () => {
    expect(smaCross.protection?.(resolveParams(smaCross, {}))).toEqual({});
    expect(smaCross.protection?.(resolveParams(smaCross, { stopLossPct: 2 }))).toEqual({ stopLossPct: 2 });
    expect(smaCross.protection?.(resolveParams(smaCross, { stopLossPct: 2, takeProfitPct: 5 }))).toEqual({ stopLossPct: 2, takeProfitPct: 5 });
  });
});
