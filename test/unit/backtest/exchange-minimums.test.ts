import { backtestMinNotional, exchangeMinNotional, exchangeOfFile } from '../../../src/backtest/exchange-minimums';

describe('the exchange minimum a backtest defaults trade.minNotional to', () => {
  it('reads the exchange from a word of the file name, in any case and any directory', () => {
    expect(exchangeOfFile('/data/binance_BTC-USDT_5m_2021.json')).toBe('binance');
    expect(exchangeOfFile('Coinbase-BTC-USD-1h.csv')).toBe('coinbase');
    expect(exchangeOfFile('binance/BTC_USDT-1h.json')).toBeUndefined();
    expect(exchangeOfFile('binanceus_BTC-USDT_1h.json')).toBeUndefined();
  });

  it('is Binance\'s 5 for its dollar quotes, Coinbase\'s 1 for USD, and 0 for anything it does not know', () => {
    expect(exchangeMinNotional('binance_BTC-USDT_5m_2021.json', 'BTC/USDT')).toBe(5);
    expect(exchangeMinNotional('binance_ETH-FDUSD_1h.json', 'ETH/FDUSD')).toBe(5);
    expect(exchangeMinNotional('coinbase_BTC-USD_1h_2019.csv', 'BTC/USD')).toBe(1);
    expect(exchangeMinNotional('binance_ETH-BTC_1h.json', 'ETH/BTC')).toBe(0);
    expect(exchangeMinNotional('BTC_USDT-1h.json', 'BTC/USDT')).toBe(0);
    expect(exchangeMinNotional('kraken_BTC-USD_1h.json', 'BTC/USD')).toBe(0);
  });

  it('takes the largest over the files of a run, each with its own symbol', () => {
    expect(backtestMinNotional(['coinbase_BTC-USD_1h.csv', 'binance_ETH-USD_1h.json'], ['BTC/USD', 'ETH/USD'])).toBe(1);
    expect(backtestMinNotional(['binance_BTC-USDT_1h.json', 'ETH_USDT-1h.json'], ['BTC/USDT', 'ETH/USDT'])).toBe(5);
    expect(backtestMinNotional([], ['BTC/USDT'])).toBe(0);
  });
});
