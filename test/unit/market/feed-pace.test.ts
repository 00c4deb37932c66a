import { feedPace } from '../../../src/market/feed-pace';
import { quoteCurrencyOf, splitSymbol } from '../../../src/market/symbols';

describe('feedPace', () => {
  it('uses one timer tick per candle at modest speeds', () => {
    expect(feedPace(10, '1m')).toEqual({ intervalMs: 100, periodsPerTick: 1 });
  });
  it('batches candles when a timer per candle would fire more often than every 10 ms', () => {
    expect(feedPace(1000, '1m')).toEqual({ intervalMs: 10, periodsPerTick: 10 });
    expect(feedPace(1_000_000, '1m')).toEqual({ intervalMs: 10, periodsPerTick: 10_000 });
  });
  it('plays one candle per timeframe in real time', () => {
    expect(feedPace('realtime', '5m')).toEqual({ intervalMs: 300_000, periodsPerTick: 1 });
  });
});

describe('symbols', () => {
  it('splits a symbol and finds the shared quote currency', () => {
    expect(splitSymbol('ETH/USDT')).toEqual({ base: 'ETH', quote: 'USDT' });
    expect(quoteCurrencyOf(['BTC/USDT', 'ETH/USDT'])).toBe('USDT');
  });
  it('refuses symbols with different quote currencies or a bad form', () => {
    expect(() => quoteCurrencyOf(['BTC/USDT', 'ETH/BTC'])).toThrow('market.symbols must share one quote currency, and BTC/USDT, ETH/BTC use USDT and BTC');
    expect(() => splitSymbol('BTCUSDT')).toThrow('symbol "BTCUSDT" is not of the form BASE/QUOTE, like BTC/USDT');
  });
});
