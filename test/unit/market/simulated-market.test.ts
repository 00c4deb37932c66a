import { MarketDataGuard } from '../../../src/market/data-guard';
import { SimulatedMarket, type SimulatedMarketOptions } from '../../../src/market/simulated-market';
import { timeframeMs } from '../../../src/market/timeframe';
import type { Candle, MarketEvent, Tick } from '../../../src/market/types';

const START = Date.UTC(2024, 0, 1);
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];

function market(overrides: Partial<SimulatedMarketOptions> = {}): SimulatedMarket {
  return new SimulatedMarket({ seed: 7, symbols: SYMBOLS, timeframe: '1m', startTime: START, ticksPerCandle: 5, ...overrides });
}

function periods(source: SimulatedMarket, count: number): MarketEvent[][] {
  return Array.from({ length: count }, () => source.next());
}

function ticksOf(events: MarketEvent[]): Tick[] {
  return events.flatMap((e) => (e.kind === 'tick' ? [e.tick] : []));
}

function candlesOf(events: MarketEvent[]): Candle[] {
  return events.flatMap((e) => (e.kind === 'candle' ? [e.candle] : []));
}

describe('SimulatedMarket', () => {
  it('describes itself with seed, symbols and timeframe', () => {
    const source = market({ symbols: ['BTC/USDT', 'ETH/USDT'] });
    expect(source.description).toBe('simulated market (seed 7): BTC/USDT, ETH/USDT on 1m');
    expect(source.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(source.timeframe).toBe('1m');
  });

  it('gives each period every tick of every symbol, interleaved by time, then one candle per symbol', () => {
    const events = market({ ticksPerCandle: 4 }).next();
    expect(events.map((e) => (e.kind === 'tick' ? `tick ${e.tick.symbol}` : `candle ${e.candle.symbol}`))).toEqual([
      ...Array.from({ length: 4 }, () => SYMBOLS.map((s) => `tick ${s}`)).flat(),
      ...SYMBOLS.map((s) => `candle ${s}`),
    ]);
  });

  it('makes each candle from exactly its own ticks', () => {
    const source = market({ ticksPerCandle: 12 });
    for (const events of periods(source, 300)) {
      const ticks = ticksOf(events);
      for (const candle of candlesOf(events)) {
        const own = ticks.filter((t) => t.symbol === candle.symbol);
        const prices = own.map((t) => t.price);
        expect(own).toHaveLength(12);
        expect(candle.open).toBe(prices[0]);
        expect(candle.close).toBe(prices[prices.length - 1]);
        expect(candle.high).toBe(Math.max(...prices));
        expect(candle.low).toBe(Math.min(...prices));
        // Summed in tick order, so exactly equal, not just close.
        expect(candle.volume).toBe(own.reduce((sum, t) => sum + t.volume, 0));
      }
    }
  });

  it('spreads tick times evenly inside the period, strictly increasing per symbol, with the candle at the period open', () => {
    const source = market({ timeframe: '5m', ticksPerCandle: 7, startTime: START + 123_456 });
    const period = timeframeMs('5m');
    const lastTime = new Map<string, number>();
    let expectedOpen = START;
    for (const events of periods(source, 200)) {
      const times = ticksOf(events).map((t) => t.time);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const tick of ticksOf(events)) {
        expect(tick.time).toBeGreaterThanOrEqual(expectedOpen);
        expect(tick.time).toBeLessThan(expectedOpen + period);
        expect(tick.time).toBeGreaterThan(lastTime.get(tick.symbol) ?? -Infinity);
        lastTime.set(tick.symbol, tick.time);
      }
      const offsets = ticksOf(events)
        .filter((t) => t.symbol === 'BTC/USDT')
        .map((t) => t.time - expectedOpen);
      expect(offsets).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => Math.floor((k * period) / 7)));
      expect(candlesOf(events).map((c) => c.time)).toEqual(SYMBOLS.map(() => expectedOpen));
      expect(candlesOf(events).every((c) => c.timeframe === '5m')).toBe(true);
      expectedOpen += period;
    }
  });

  it.each([1, 2, 3, 99, 4_000_000_000])('keeps candles consistent and prices positive and finite (seed %d)', (seed) => {
    for (const timeframe of ['1m', '1d']) {
      const source = market({ seed, timeframe, ticksPerCandle: 3 });
      for (const events of periods(source, 2000)) {
        for (const c of candlesOf(events)) {
          const values = [c.open, c.high, c.low, c.close, c.volume];
          if (!values.every(Number.isFinite)) throw new Error(`non-finite candle ${JSON.stringify(c)}`);
          if (!(c.low > 0 && c.low <= Math.min(c.open, c.close) && Math.max(c.open, c.close) <= c.high && c.volume > 0)) {
            throw new Error(`inconsistent candle ${JSON.stringify(c)}`);
          }
        }
      }
    }
  });

  it('passes the market data guard for thousands of periods', () => {
    const guard = new MarketDataGuard();
    const source = market({ ticksPerCandle: 12 });
    const problems: string[] = [];
    for (const events of periods(source, 3000)) {
      for (const e of events) {
        const problem = e.kind === 'tick' ? guard.checkTick(e.tick) : guard.checkCandle(e.candle);
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
  });

  it('replays the identical event sequence for the same options', () => {
    expect(periods(market({ ticksPerCandle: 3 }), 300)).toEqual(periods(market({ ticksPerCandle: 3 }), 300));
  });

  it('gives a different sequence for a different seed', () => {
    const a = ticksOf(periods(market({ seed: 7 }), 50).flat()).map((t) => t.price);
    const b = ticksOf(periods(market({ seed: 8 }), 50).flat()).map((t) => t.price);
    expect(a).toHaveLength(b.length);
    expect(a.filter((price, i) => price === b[i])).toEqual([]);
  });

  it("keeps a symbol's prices when other symbols are added to the run", () => {
    const alone = ticksOf(periods(market({ symbols: ['BTC/USDT'] }), 200).flat());
    const withOthers = ticksOf(periods(market(), 200).flat()).filter((t) => t.symbol === 'BTC/USDT');
    expect(withOthers).toEqual(alone);
  });

  it('starts BTC near 60000, ETH near 3000 and others near 100 unless start prices are given', () => {
    const firstPrices = (source: SimulatedMarket) => ticksOf(source.next()).slice(0, SYMBOLS.length).map((t) => t.price);
    const [btc, eth, sol] = firstPrices(market());
    expect(btc! / 60_000).toBeCloseTo(1, 1);
    expect(eth! / 3_000).toBeCloseTo(1, 1);
    expect(sol! / 100).toBeCloseTo(1, 1);
    const [, , given] = firstPrices(market({ startPrices: { 'SOL/USDT': 150, 'DOGE/USDT': 0.1 } }));
    expect(given! / 150).toBeCloseTo(1, 1);
  });

  it('refuses options it cannot honour', () => {
    expect(() => market({ timeframe: '2m' })).toThrow('unknown timeframe "2m"');
    expect(() => market({ ticksPerCandle: 0 })).toThrow(/ticksPerCandle must be an integer from 1 to 60000/);
    expect(() => market({ ticksPerCandle: 60_001 })).toThrow(/ticksPerCandle/);
    expect(() => market({ ticksPerCandle: 1.5 })).toThrow(/ticksPerCandle/);
    expect(() => market({ symbols: [] })).toThrow(/at least one symbol/);
    expect(() => market({ symbols: ['BTC/USDT', 'BTC/USDT'] })).toThrow(/must not repeat/);
    expect(() => market({ seed: -1 })).toThrow(/seed/);
    expect(() => market({ startTime: Number.NaN })).toThrow(/startTime/);
    expect(() => market({ startPrices: { 'BTC/USDT': 0 } })).toThrow(/start price of BTC\/USDT/);
  });
});
