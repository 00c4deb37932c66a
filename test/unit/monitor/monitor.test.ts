import { formatStatusLine } from '../../../src/monitor/status-line';
import { Liveness } from '../../../src/monitor/liveness';
import { formatDuration, formatStatusTable } from '../../../src/monitor/status-table';

describe('formatStatusTable', () => {
  it('lines up one row per agent under the headers', () => {
    const table = formatStatusTable(
      [
        { name: 'config', state: 'running', since: 0, messagesIn: 3, messagesOut: 12 },
        { name: 'trade', state: 'faulted', since: 1_500, lastError: 'no broker', messagesIn: 0, messagesOut: 2 },
      ],
      3_000,
    );
    expect(table.split('\n')).toEqual([
      'agent   state    for   in  out  last error',
      'config  running  3.0s  3   12   -',
      'trade   faulted  1.5s  0   2    no broker',
    ]);
  });

  it('formats durations from ms to hours', () => {
    expect([formatDuration(250), formatDuration(61_000), formatDuration(3_720_000)]).toEqual(['250ms', '1m1s', '1h2m']);
  });
});

describe('Liveness', () => {
  it('reports an agent silent past the threshold once, until it speaks again', () => {
    const liveness = new Liveness();
    liveness.seen('data', 0);
    liveness.seen('trade', 0);
    liveness.seen('trade', 9_000);
    expect(liveness.newlySilent(10_000, 5_000)).toEqual([{ agent: 'data', silentMs: 10_000 }]);
    expect(liveness.newlySilent(11_000, 5_000)).toEqual([]);
    liveness.seen('data', 12_000);
    expect(liveness.newlySilent(20_000, 5_000).map((s) => s.agent).sort()).toEqual(['data', 'trade']);
  });

  it('stops watching an agent that was forgotten', () => {
    const liveness = new Liveness();
    liveness.seen('data', 0);
    liveness.forget('data');
    expect(liveness.newlySilent(100_000, 5_000)).toEqual([]);
  });
});

describe('formatStatusLine', () => {
  it('shows equity, PnL against the start balance, open positions, trades and events per second', () => {
    expect(
      formatStatusLine({ equity: 10_020, quoteCurrency: 'USDT', openPositions: 1, startBalance: 10_000, closedTrades: 3, eventsPerSecond: 1234.4 }),
    ).toBe('equity 10020.00 USDT | PnL +0.20 % | open 1 | trades 3 | 1234 events/s');
    expect(formatStatusLine({ equity: 480, quoteCurrency: '', openPositions: 0, startBalance: 500, closedTrades: 0, eventsPerSecond: 0 })).toBe(
      'equity 480.00 | PnL -4.00 % | open 0 | trades 0 | 0 events/s',
    );
  });
});
