import { DATA_PROBLEMS, MarketDataGuard, type DataProblem } from '../../../src/market/data-guard';
import type { Candle, Tick } from '../../../src/market/types';

function tick(overrides: Partial<Tick> = {}): Tick {
  return { symbol: 'BTC/USDT', time: 1_000, price: 100, volume: 1, ...overrides };
}

function candle(overrides: Partial<Candle> = {}): Candle {
  return { symbol: 'BTC/USDT', timeframe: '1m', time: 60_000, open: 100, high: 110, low: 90, close: 105, volume: 3, ...overrides };
}

const noProblems = (): Record<DataProblem, number> => ({
  'not-a-number': 0,
  'non-positive-price': 0,
  'high-below-low': 0,
  'ohlc-outside-range': 0,
  'time-not-increasing': 0,
});

describe('MarketDataGuard ticks', () => {
  it('accepts a sound tick, including one with zero volume', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkTick(tick())).toBeUndefined();
    expect(guard.checkTick(tick({ time: 2_000, volume: 0 }))).toBeUndefined();
    expect(guard.counts()).toEqual(noProblems());
  });

  it.each<[string, Partial<Tick>, DataProblem]>([
    ['NaN price', { price: Number.NaN }, 'not-a-number'],
    ['infinite price', { price: Number.POSITIVE_INFINITY }, 'not-a-number'],
    ['NaN time', { time: Number.NaN }, 'not-a-number'],
    ['NaN volume', { volume: Number.NaN }, 'not-a-number'],
    ['negative volume', { volume: -1 }, 'not-a-number'],
    ['zero price', { price: 0 }, 'non-positive-price'],
    ['negative price', { price: -5 }, 'non-positive-price'],
  ])('rejects a tick with %s as %s and counts it', (_what, bad, problem) => {
    const guard = new MarketDataGuard();
    expect(guard.checkTick(tick(bad))).toBe(problem);
    expect(guard.counts()).toEqual({ ...noProblems(), [problem]: 1 });
  });

  it('rejects a tick that is not strictly after the last accepted one of its symbol', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkTick(tick({ time: 1_000 }))).toBeUndefined();
    expect(guard.checkTick(tick({ time: 1_000 }))).toBe('time-not-increasing');
    expect(guard.checkTick(tick({ time: 999 }))).toBe('time-not-increasing');
    expect(guard.checkTick(tick({ symbol: 'ETH/USDT', time: 500 }))).toBeUndefined();
    expect(guard.checkTick(tick({ time: 1_001 }))).toBeUndefined();
    expect(guard.counts()['time-not-increasing']).toBe(2);
  });

  it('does not take the time of a rejected tick as the last accepted one', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkTick(tick({ time: 1_000 }))).toBeUndefined();
    expect(guard.checkTick(tick({ time: 5_000, price: Number.NaN }))).toBe('not-a-number');
    expect(guard.checkTick(tick({ time: 3_000 }))).toBeUndefined();
    expect(guard.checkTick(tick({ time: 9_000 }))).toBeUndefined();
    expect(guard.checkTick(tick({ time: 4_000 }))).toBe('time-not-increasing');
    // The out-of-order 4 000 did not become the last either: 8 000 is still too early after 9 000.
    expect(guard.checkTick(tick({ time: 8_000 }))).toBe('time-not-increasing');
  });
});

describe('MarketDataGuard candles', () => {
  it('accepts sound candles, including zero volume and a flat candle', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkCandle(candle())).toBeUndefined();
    expect(guard.checkCandle(candle({ time: 120_000, open: 5, high: 5, low: 5, close: 5, volume: 0 }))).toBeUndefined();
    expect(guard.counts()).toEqual(noProblems());
  });

  it.each<[string, Partial<Candle>, DataProblem]>([
    ['NaN open', { open: Number.NaN }, 'not-a-number'],
    ['NaN high', { high: Number.NaN }, 'not-a-number'],
    ['NaN low', { low: Number.NaN }, 'not-a-number'],
    ['infinite close', { close: Number.NEGATIVE_INFINITY }, 'not-a-number'],
    ['NaN time', { time: Number.NaN }, 'not-a-number'],
    ['NaN volume', { volume: Number.NaN }, 'not-a-number'],
    ['negative volume', { volume: -0.5 }, 'not-a-number'],
    ['zero low', { low: 0 }, 'non-positive-price'],
    ['negative everything', { open: -1, high: -1, low: -1, close: -1 }, 'non-positive-price'],
    ['high below low', { high: 80, low: 90, open: 85, close: 85 }, 'high-below-low'],
    ['open above high', { open: 111 }, 'ohlc-outside-range'],
    ['open below low', { open: 89 }, 'ohlc-outside-range'],
    ['close above high', { close: 120 }, 'ohlc-outside-range'],
    ['close below low', { close: 1 }, 'ohlc-outside-range'],
  ])('rejects a candle with %s as %s and counts it', (_what, bad, problem) => {
    const guard = new MarketDataGuard();
    expect(guard.checkCandle(candle(bad))).toBe(problem);
    expect(guard.counts()).toEqual({ ...noProblems(), [problem]: 1 });
  });

  it('tracks candle times per symbol and timeframe, apart from ticks', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkCandle(candle({ time: 60_000 }))).toBeUndefined();
    expect(guard.checkCandle(candle({ time: 60_000, timeframe: '5m' }))).toBeUndefined();
    expect(guard.checkCandle(candle({ time: 60_000, symbol: 'ETH/USDT' }))).toBeUndefined();
    expect(guard.checkTick(tick({ time: 60_000 }))).toBeUndefined();
    expect(guard.checkCandle(candle({ time: 60_000 }))).toBe('time-not-increasing');
    expect(guard.checkCandle(candle({ time: 0 }))).toBe('time-not-increasing');
    expect(guard.checkCandle(candle({ time: 120_000 }))).toBeUndefined();
  });

  it('does not take the time of a rejected candle as the last accepted one', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkCandle(candle({ time: 60_000 }))).toBeUndefined();
    expect(guard.checkCandle(candle({ time: 180_000, high: 1, low: 2 }))).toBe('high-below-low');
    expect(guard.checkCandle(candle({ time: 120_000 }))).toBeUndefined();
  });
});

describe('MarketDataGuard checkCandleAfter', () => {
  /** No candle accepted yet. */
  const NONE = Number.NaN;

  it.each<[string, Partial<Candle>, DataProblem]>([
    ['NaN open', { open: Number.NaN }, 'not-a-number'],
    ['NaN time', { time: Number.NaN }, 'not-a-number'],
    ['negative volume', { volume: -0.5 }, 'not-a-number'],
    ['zero low', { low: 0 }, 'non-positive-price'],
    ['high below low', { high: 80, low: 90, open: 85, close: 85 }, 'high-below-low'],
    ['close above high', { close: 120 }, 'ohlc-outside-range'],
  ])('reports a candle with %s as %s, as checkCandle does, and counts it', (_what, bad, problem) => {
    const guard = new MarketDataGuard();
    expect(guard.checkCandleAfter(candle(bad), NONE)).toBe(problem);
    expect(guard.checkCandleAfter(candle(bad), 0)).toBe(problem);
    expect(guard.counts()).toEqual({ ...noProblems(), [problem]: 2 });
    expect(new MarketDataGuard().checkCandle(candle(bad))).toBe(problem);
  });

  it('reports a value problem before a time problem', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkCandleAfter(candle({ time: 60_000, low: 0 }), 60_000)).toBe('non-positive-price');
    expect(guard.counts()).toEqual({ ...noProblems(), 'non-positive-price': 1 });
  });

  it('refuses a time at or before the last accepted one, and accepts a later one', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkCandleAfter(candle({ time: 60_000 }), 60_000)).toBe('time-not-increasing');
    expect(guard.checkCandleAfter(candle({ time: 0 }), 60_000)).toBe('time-not-increasing');
    expect(guard.checkCandleAfter(candle({ time: 60_001 }), 60_000)).toBeUndefined();
    expect(guard.checkCandleAfter(candle({ time: 60_000 }), NONE)).toBeUndefined();
    expect(guard.counts()).toEqual({ ...noProblems(), 'time-not-increasing': 2 });
  });

  it('remembers no time itself: the caller says what was accepted last', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkCandleAfter(candle({ time: 120_000 }), NONE)).toBeUndefined();
    // Had the guard kept 120 000, this would be out of order; it is the caller's word that counts.
    expect(guard.checkCandleAfter(candle({ time: 60_000 }), NONE)).toBeUndefined();
    expect(guard.checkCandleAfter(candle({ time: 60_000 }), 0)).toBeUndefined();
    // Nor does it share checkCandle's memory.
    expect(guard.checkCandle(candle({ time: 60_000 }))).toBeUndefined();
    expect(guard.counts()).toEqual(noProblems());
  });

  it('counts its refusals with the others, and says when a kind is first seen', () => {
    const guard = new MarketDataGuard();
    expect(guard.checkTick(tick({ price: 0 }))).toBe('non-positive-price');
    expect(guard.checkCandleAfter(candle({ open: -1 }), NONE)).toBe('non-positive-price');
    expect(guard.firstOfKind('non-positive-price')).toBe(false);
    expect(guard.checkCandleAfter(candle({ time: 0 }), 0)).toBe('time-not-increasing');
    expect(guard.firstOfKind('time-not-increasing')).toBe(true);
    expect(guard.counts()).toEqual({ ...noProblems(), 'non-positive-price': 2, 'time-not-increasing': 1 });
  });
});

describe('MarketDataGuard counting', () => {
  it('counts each kind separately and says when a kind is seen for the first time', () => {
    const guard = new MarketDataGuard();
    const seenFirst: DataProblem[] = [];
    const feed: Array<Partial<Tick>> = [{ price: 0 }, { price: Number.NaN }, { price: -1 }, { volume: -1 }, { price: 0 }];
    for (const bad of feed) {
      const problem = guard.checkTick(tick(bad));
      if (problem && guard.firstOfKind(problem)) seenFirst.push(problem);
    }
    expect(seenFirst).toEqual(['non-positive-price', 'not-a-number']);
    expect(guard.counts()).toEqual({ ...noProblems(), 'non-positive-price': 3, 'not-a-number': 2 });
    expect(guard.firstOfKind('high-below-low')).toBe(false);
  });

  it('hands out counts the caller cannot change', () => {
    const guard = new MarketDataGuard();
    guard.checkTick(tick({ price: 0 }));
    const counts = guard.counts();
    counts['non-positive-price'] = 99;
    expect(guard.counts()['non-positive-price']).toBe(1);
  });

  it('lists every problem kind it counts', () => {
    expect([...DATA_PROBLEMS].sort()).toEqual(Object.keys(new MarketDataGuard().counts()).sort());
  });
});
