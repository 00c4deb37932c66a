import { inTimeOrder } from '../../../../src/market/live/event-order';
import { TickSequencer } from '../../../../src/market/live/tick-sequencer';
import type { Candle } from '../../../../src/market/types';
import { at, P, SYMBOL, TF } from './fake-live-exchange';

describe('TickSequencer', () => {
  it('makes one tick per millisecond, strictly increasing, and drops trades from before the last tick', () => {
    const seq = new TickSequencer(SYMBOL, TF);
    seq.addTrades([
      { timestamp: at(0) + 10, price: 100, amount: 1 },
      { timestamp: at(0) + 10, price: 101, amount: 2 },
      { timestamp: at(0) + 20, price: 102, amount: 1 },
      { timestamp: undefined, price: 105, amount: 1 },
      { timestamp: at(0) + 30, price: undefined, amount: 1 },
    ]);
    expect(seq.release(undefined)).toEqual([
      { symbol: SYMBOL, time: at(0) + 10, price: 101, volume: 3 },
      { symbol: SYMBOL, time: at(0) + 20, price: 102, volume: 1 },
    ]);
    seq.addTrades([{ timestamp: at(0) + 20, price: 99 }, { timestamp: at(0) + 5, price: 99 }, { timestamp: at(0) + 21, price: 103 }]);
    expect(seq.release(undefined)).toEqual([{ symbol: SYMBOL, time: at(0) + 21, price: 103, volume: 0 }]);
  });

  it('holds ticks from after the close of a candle not emitted yet, and drops ticks whose candle is out', () => {
    const seq = new TickSequencer(SYMBOL, TF);
    expect(seq.release(at(4))).toEqual([]);
    seq.add(at(5) + 1, 100, 1); // in the forming candle 5: goes out
    seq.add(at(6) + 1, 101, 1); // after candle 5 closed: waits for it
    expect(seq.release(at(4)).map((t) => t.time)).toEqual([at(5) + 1]);
    expect(seq.release(at(5)).map((t) => t.time)).toEqual([at(6) + 1]);
    seq.add(at(6) + 2, 102, 1);
    seq.add(at(8) + 2, 103, 1);
    expect(seq.release(at(7)).map((t) => t.time)).toEqual([at(6) + 2, at(8) + 2]);
    seq.add(at(7) + 5, 104, 1); // its candle 7 is out already
    seq.add(at(8) + 3, 105, 1);
    expect(seq.release(at(7)).map((t) => t.time)).toEqual([at(8) + 3]);
  });

  it('puts ticks of a candle period before the candle and ticks from its close on after it', () => {
    const candle = (time: number): Candle => ({ symbol: SYMBOL, timeframe: TF, time, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    const tick = (time: number) => ({ symbol: SYMBOL, time, price: 1, volume: 1 });
    const events = inTimeOrder([candle(at(1)), candle(at(2))], [tick(at(1) + 5), tick(at(2)), tick(at(3) + 1)], P);
    expect(events.map((e) => (e.kind === 'tick' ? `t${e.tick.time - at(0)}` : `c${e.candle.time - at(0)}`))).toEqual([
      `t${P + 5}`,
      `c${P}`,
      `t${2 * P}`,
      `c${2 * P}`,
      `t${3 * P + 1}`,
    ]);
  });
});
