import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/core/errors';
import { candleFileName, readCandleRows, writeCandleRows } from '../../../src/exchange/candle-store';
import { loadCandleFile } from '../../../src/market/candle-file';
import { hourlyRows } from './memory-exchange';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'candle-store-'));

describe('candle store', () => {
  it('names files so that backtest reads the symbol and timeframe from the name', () => {
    expect(candleFileName('BTC/USDT', '1h')).toBe('BTC_USDT-1h.json');
    const dir = tempDir();
    const file = path.join(dir, candleFileName('ETH/BTC', '5m'));
    writeCandleRows(file, hourlyRows(3).map((r, i) => [r[0] - i * 55 * 60_000, ...r.slice(1)] as typeof r));
    const series = loadCandleFile(file);
    expect([series.symbol, series.timeframe]).toEqual(['ETH/BTC', '5m']);
  });

  it('writes ccxt OHLCV JSON that reads back unchanged, into a directory it creates', () => {
    const file = path.join(tempDir(), 'nested', 'data', 'BTC_USDT-1h.json');
    const rows = hourlyRows(5);
    writeCandleRows(file, rows);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(rows);
    expect(readCandleRows(file, 'BTC/USDT', '1h')).toEqual(rows);
  });

  it('replaces the file by renaming a finished temporary one, leaving nothing else behind', () => {
    const dir = tempDir();
    const file = path.join(dir, 'BTC_USDT-1h.json');
    writeCandleRows(file, hourlyRows(2));
    const renames = jest.spyOn(fs, 'renameSync');
    writeCandleRows(file, hourlyRows(4));
    expect(renames).toHaveBeenCalledTimes(1);
    const [from, to] = renames.mock.calls[0]!;
    expect(path.dirname(String(from))).toBe(dir);
    expect(to).toBe(file);
    renames.mockRestore();
    expect(fs.readdirSync(dir)).toEqual(['BTC_USDT-1h.json']);
    expect(readCandleRows(file, 'BTC/USDT', '1h')).toHaveLength(4);
  });

  it('keeps the old file when the write fails', () => {
    const dir = tempDir();
    const file = path.join(dir, 'BTC_USDT-1h.json');
    writeCandleRows(file, hourlyRows(2));
    const renames = jest.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw new Error('disk full');
    });
    expect(() => writeCandleRows(file, hourlyRows(4))).toThrow('disk full');
    renames.mockRestore();
    expect(readCandleRows(file, 'BTC/USDT', '1h')).toHaveLength(2);
    expect(fs.readdirSync(dir)).toEqual(['BTC_USDT-1h.json']);
  });

  it('has no rows for a file that does not exist, and a UserError for one that is not candles', () => {
    const dir = tempDir();
    expect(readCandleRows(path.join(dir, 'BTC_USDT-1h.json'), 'BTC/USDT', '1h')).toBeUndefined();
    const bad = path.join(dir, 'ETH_USDT-1h.json');
    fs.writeFileSync(bad, '{"not": "rows"}');
    expect(() => readCandleRows(bad, 'ETH/USDT', '1h')).toThrow(UserError);
  });
});
