import { UserError } from '../../../src/core/errors';
import { parseDownloadOptions, type DownloadOptions } from '../../../src/cli/download-options';

const base: DownloadOptions = { symbol: ['BTC/USDT'], timeframe: '1h', from: '2024-01-01' };

describe('parseDownloadOptions', () => {
  it('takes symbols repeated or comma-separated, once each', () => {
    expect(parseDownloadOptions({ ...base, symbol: ['BTC/USDT,ETH/USDT', 'BTC/USDT', ' SOL/USDT '] }).symbols).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
  });

  it('reads dates as UTC, a date alone as --to meaning the whole day', () => {
    const s = parseDownloadOptions({ ...base, from: '2024-01-01', to: '2024-01-31' });
    expect(s.from).toBe(Date.UTC(2024, 0, 1));
    expect(s.to).toBe(Date.UTC(2024, 1, 1) - 1);
    expect(parseDownloadOptions({ ...base, to: '2024-01-31T12:00' }).to).toBe(Date.UTC(2024, 0, 31, 12));
  });

  it('defaults the output directory to data/', () => {
    expect(parseDownloadOptions(base).out).toBe('data');
  });

  it.each([
    [{ timeframe: '2m' }, /--timeframe "2m" is not one of 1m, 3m/],
    [{ from: '2024-13-01' }, /--from "2024-13-01" is not a date or time/],
    [{ to: 'yesterday' }, /--to "yesterday" is not a date or time/],
    [{ from: '2024-02-01', to: '2024-01-01' }, /--to 2024-01-01 is before --from 2024-02-01/],
    [{ symbol: ['BTCUSDT'] }, /symbol "BTCUSDT" is not of the form BASE\/QUOTE/],
    [{ symbol: [','] }, /--symbol is empty/],
  ])('refuses %j with one sentence', (change, message) => {
    const parse = (): unknown => parseDownloadOptions({ ...base, ...change });
    expect(parse).toThrow(UserError);
    expect(parse).toThrow(message);
  });
});
