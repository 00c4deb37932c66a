import { tradesCsv } from '../../../src/portfolio/trades-csv';
import type { ClosedTrade } from '../../../src/portfolio/types';

const HEADER = 'symbol,entryTime,exitTime,side,qty,entryPrice,exitPrice,fees,pnl,pnlPct,exitReason,strategy\n';

const trade: ClosedTrade = {
  symbol: 'BTC/USDT',
  entryTime: Date.UTC(2024, 0, 2, 3, 4, 5, 6),
  exitTime: Date.UTC(2024, 0, 2, 4, 0, 0, 0),
  side: 'long',
  qty: 0.1 + 0.2,
  entryPrice: 42_000.5,
  exitPrice: 41_000,
  fees: 0.012345678901234,
  pnl: -300.15,
  pnlPct: -2.380952380952381,
  exitReason: 'stop-loss',
  strategy: 'sma-cross',
};

describe('tradesCsv', () => {
  it('writes only the header, with a trailing newline, when there are no trades', () => {
    expect(tradesCsv([])).toBe(HEADER);
  });

  it('writes one row per trade with ISO UTC times and numbers at full precision', () => {
    expect(tradesCsv([trade])).toBe(
      HEADER +
        'BTC/USDT,2024-01-02T03:04:05.006Z,2024-01-02T04:00:00.000Z,long,0.30000000000000004,42000.5,41000,' +
        '0.012345678901234,-300.15,-2.380952380952381,stop-loss,sma-cross\n',
    );
  });

  it('quotes fields holding commas, quotes or newlines, doubling the quotes', () => {
    const csv = tradesCsv([{ ...trade, strategy: 'manual, "panic"\nsell' }]);
    expect(csv.endsWith(',"manual, ""panic""\nsell"\n')).toBe(true);
  });

  it('ends every line with \\n and never \\r\\n', () => {
    const csv = tradesCsv([trade, { ...trade, symbol: 'ETH/USDT' }]);
    expect(csv.split('\n')).toHaveLength(4);
    expect(csv).not.toContain('\r');
  });
});
