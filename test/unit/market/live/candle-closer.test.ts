import { CandleCloser } from '../../../../src/market/live/candle-closer';
import { at, finalRow, streamRow, SYMBOL, TF } from './fake-live-exchange';

const times = (candles: Array<{ time: number }>): number[] => candles.map((c) => c.time);

function closed(result: ReturnType<CandleCloser['push']>): number[] {
  if (result.kind !== 'closed') throw new Error(`expected closed candles, got a gap ${result.from}..${result.to}`);
  return times(result.candles);
}

describe('CandleCloser', () => {
  it('closes each candle exactly once, when a newer one appears, in its latest version', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    expect(closed(closer.push([streamRow(at(1), 101)]))).toEqual([]);
    expect(closed(closer.push([streamRow(at(1), 101.2)]))).toEqual([]);
    // Overlapping snapshot: the last update of candle 1 and the first of candle 2.
    const result = closer.push([streamRow(at(1), 101.7, 8), streamRow(at(2), 102)]);
    expect(result).toEqual({ kind: 'closed', candles: [expect.objectContaining({ time: at(1), close: 101.7, volume: 8, symbol: SYMBOL, timeframe: TF })] });
    // Candle 1 again (a snapshot repeated after a reconnect) and candle 2 still forming.
    expect(closed(closer.push([streamRow(at(1), 999), streamRow(at(2), 102.1)]))).toEqual([]);
    expect(closed(closer.push([streamRow(at(2), 102.2), streamRow(at(3)), streamRow(at(4))]))).toEqual([at(2), at(3)]);
    expect(closer.settledThrough).toBe(at(3));
    expect(closer.forming?.time).toBe(at(4));
  });

  it('the forming candle closes within the same snapshot when a newer one follows it', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    closer.push([streamRow(at(1), 101)]);
    const result = closer.push([streamRow(at(2))]);
    // The stream's last version of candle 1 is what it closes with.
    expect(result).toEqual({ kind: 'closed', candles: [expect.objectContaining({ time: at(1), close: 101 })] });
  });

  it('starts at the first snapshot when nothing was emitted before: no gap to fill before it', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    expect(closer.settledThrough).toBeUndefined();
    expect(closer.nextClose()).toBeUndefined();
    expect(closed(closer.push([streamRow(at(5)), streamRow(at(6))]))).toEqual([at(5)]);
    expect(closer.settledThrough).toBe(at(5));
    expect(closer.nextClose()).toBe(at(7));
  });

  it('reports a gap when candles between the last emitted one and the newest are missing, emitting nothing yet', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    closer.push([streamRow(at(1))]);
    const result = closer.push([streamRow(at(4))]);
    expect(result).toEqual({ kind: 'gap', from: at(1), to: at(3), seen: [expect.objectContaining({ time: at(1) })] });
    // Until it is settled the gap stays, whatever comes next.
    expect(closer.push([streamRow(at(4), 104.1)])).toMatchObject({ kind: 'gap', from: at(1), to: at(3) });
    expect(closer.settledThrough).toBe(at(0));
  });

  it('also reports a hole inside a snapshot', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    expect(closer.push([streamRow(at(1)), streamRow(at(3)), streamRow(at(4))])).toMatchObject({ kind: 'gap', from: at(1), to: at(3) });
  });

  it('settles a range with REST candles winning over the stream, each candle once', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    const gap = closer.push([streamRow(at(1)), streamRow(at(4))]);
    if (gap.kind !== 'gap') throw new Error('expected a gap');
    const rest = [1, 2, 3].map((i) => ({ symbol: SYMBOL, timeframe: TF, time: at(i), open: 1, high: 1, low: 1, close: 1, volume: 1 }));
    const out = closer.settle([...gap.seen, ...rest], gap.to);
    expect(times(out)).toEqual([at(1), at(2), at(3)]);
    expect(out.every((c) => c.close === 1)).toBe(true);
    expect(closer.settle(rest, gap.to)).toEqual([]);
    expect(closed(closer.push([streamRow(at(4)), streamRow(at(5))]))).toEqual([at(4)]);
  });

  it('closes the newest candle too when told the exchange clock is past it (REST polls)', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    expect(closed(closer.push([finalRow(at(0)), finalRow(at(1)), finalRow(at(2))], at(2)))).toEqual([at(1), at(2)]);
    expect(closer.forming).toBeUndefined();
    expect(closer.nextClose()).toBe(at(4));
  });

  it('settles the forming candle with its stream version when REST has none for its time', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    closer.push([streamRow(at(1), 101.3)]);
    expect(closer.settle([], at(1))).toEqual([expect.objectContaining({ time: at(1), close: 101.3 })]);
    expect(closer.forming).toBeUndefined();
  });

  it('after a resync, trusts only the newest candle of the next snapshot and leaves the rest to REST', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    closer.push([streamRow(at(1), 101.1)]);
    closer.resync();
    expect(closer.forming).toBeUndefined();
    // A cached, stale candle 1 comes with the fresh candle 2.
    expect(closer.push([streamRow(at(1), 101.1), streamRow(at(2))])).toEqual({ kind: 'gap', from: at(1), to: at(1), seen: [] });
    expect(closer.forming?.time).toBe(at(2));
    const rest = { symbol: SYMBOL, timeframe: TF, time: at(1), open: 101, high: 103, low: 100, close: 102, volume: 10 };
    expect(closer.settle([rest], at(1))).toEqual([rest]);
    // From then on the stream is trusted again.
    expect(closed(closer.push([streamRow(at(2)), streamRow(at(3))]))).toEqual([at(2)]);
  });

  it('skips rows with missing values', () => {
    const closer = new CandleCloser(SYMBOL, TF);
    closer.settle([], at(0));
    expect(closed(closer.push([[at(1), 1, 1, 1, undefined, 1], streamRow(at(1)), [at(2), Number.NaN, 1, 1, 1, 1]]))).toEqual([]);
    expect(closer.forming?.time).toBe(at(1));
  });
});
