import { equityCsv } from '../../../src/backtest/equity-csv';
import { EquityCurve } from '../../../src/backtest/equity-curve';

const HEADER = 'time,equity,drawdown\n';

describe('equityCsv', () => {
  it('writes only the header, with a trailing newline, for an empty curve', () => {
    expect(equityCsv([])).toBe(HEADER);
  });

  it('writes ISO UTC times and numbers at full precision', () => {
    const csv = equityCsv([{ time: Date.UTC(2024, 0, 2, 3, 4, 5, 6), equity: 0.1 + 0.2, drawdownPct: 12.345678901234567 }]);
    expect(csv).toBe(`${HEADER}2024-01-02T03:04:05.006Z,0.30000000000000004,12.345678901234567\n`);
  });

  it('writes the drawdown in percent, one row per point, with \\n line ends', () => {
    const curve = new EquityCurve();
    curve.record(Date.UTC(2024, 0, 1), 100, false);
    curve.record(Date.UTC(2024, 0, 1, 1), 80, true);
    // 100 -> 80 falls 20 / 100 = 20 %
    const csv = equityCsv(curve.points());
    expect(csv).toBe(`${HEADER}2024-01-01T00:00:00.000Z,100,0\n2024-01-01T01:00:00.000Z,80,20\n`);
    expect(csv).not.toContain('\r');
  });
});
