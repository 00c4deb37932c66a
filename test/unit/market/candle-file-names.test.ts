import { inferFromFileName, mostCommonStep, timeframeOfLength } from '../../../src/market/infer-series';

describe('inferFromFileName', () => {
  it.each([
    ['BTC_USDT-1h.json', 'BTC/USDT', '1h'],
    ['BTC-USDT_1h.csv', 'BTC/USDT', '1h'],
    ['binance_BTC-USDT_5m_2021.json', 'BTC/USDT', '5m'],
    ['data/binance_ETH-USDT_1h_2020-2021.json', 'ETH/USDT', '1h'],
    ['coinbase_BTC-USD_1h_2017-2019.csv', 'BTC/USD', '1h'],
    ['ftx_BTC-PERP_1m_2022-01.csv', 'BTC/PERP', '1m'],
    ['BTCUSDT-1h-2021-01.csv', 'BTC/USDT', '1h'],
    ['ETHBUSD_4h.json', 'ETH/BUSD', '4h'],
    ['1d_ETH_BTC.json', 'ETH/BTC', '1d'],
    ['btc_usdt-15m.json', 'BTC/USDT', '15m'],
    ['BTC_USDT_USDT-1h-futures.json', 'BTC/USDT', '1h'],
    ['kraken BTC EUR 1w.csv', 'BTC/EUR', '1w'],
  ])('reads %s as %s on %s', (file, symbol, timeframe) => {
    expect(inferFromFileName(file)).toEqual({ symbol, timeframe });
  });

  it('finds the symbol without a timeframe in the name when only one pair is written in upper case', () => {
    expect(inferFromFileName('binance_BTC-USDT_2021.json')).toEqual({ symbol: 'BTC/USDT' });
  });

  it('does not take an exchange name for a base currency', () => {
    expect(inferFromFileName('binance_BTC_1h.json')).toEqual({ timeframe: '1h' });
  });

  it('does not split lower-case words that happen to end in a quote currency', () => {
    expect(inferFromFileName('my_amateur_data.json')).toEqual({});
  });

  it('gives no timeframe when the name holds two different ones', () => {
    expect(inferFromFileName('BTC_USDT-1h-4h.json')).toEqual({ symbol: 'BTC/USDT' });
  });

  it('gives nothing for a name without a symbol or timeframe', () => {
    expect(inferFromFileName('candles.json')).toEqual({});
  });
});

describe('mostCommonStep', () => {
  it('is the step that occurs most often, gaps notwithstanding', () => {
    expect(mostCommonStep([0, 60, 120, 300, 360, 420])).toBe(60);
  });

  it('is the shorter step on a tie', () => {
    expect(mostCommonStep([0, 200, 300])).toBe(100);
    expect(mostCommonStep([0, 100, 300])).toBe(100);
  });

  it('is undefined for fewer than two times', () => {
    expect(mostCommonStep([5])).toBeUndefined();
  });
});

describe('timeframeOfLength', () => {
  it('names the timeframe of a candle length and nothing for other lengths', () => {
    expect(timeframeOfLength(900_000)).toBe('15m');
    expect(timeframeOfLength(7 * 86_400_000)).toBe('1w');
    expect(timeframeOfLength(420_000)).toBeUndefined();
  });
});
