import { equityCsv, equityCsvPieces } from '../../../src/backtest/equity-csv';
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

  it('comes in pieces of whole rows, header first, that join to the same text', () => {
    const points = Array.from({ length: 150_000 }, (_, i) => ({ time: Date.UTC(2024, 0, 1) + i * 60_000, equity: 100 + i / 7, drawdownPct: i % 3 }));
    const pieces = [...equityCsvPieces(points)];
    expect(pieces[0]).toBe(HEADER);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.every((piece) => piece.endsWith('\n'))).toBe(true);
    const text = pieces.join('');
    expect(text.split('\n')).toHaveLength(150_002);
    expect(text.split('\n')[150_000]).toBe(`${new Date(Date.UTC(2024, 0, 1) + 149_999 * 60_000).toISOString()},${100 + 149_999 / 7},${149_999 % 3}`);
  });
});
