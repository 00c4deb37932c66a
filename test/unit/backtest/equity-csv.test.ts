import { equityCsv, equityCsvChunks } from '../../../src/backtest/equity-csv';
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

  it('comes in chunks of whole rows, header first, that join to the same text', () => {
    const points = Array.from({ length: 150_000 }, (_, i) => ({ time: Date.UTC(2024, 0, 1) + i * 60_000, equity: 100 + i / 7, drawdownPct: i % 3 }));
    const pieces = [...equityCsvChunks(points)].map((chunk) => chunk.toString('latin1'));
    expect(pieces[0]!.startsWith(HEADER)).toBe(true);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.every((piece) => piece.endsWith('\n'))).toBe(true);
    const text = pieces.join('');
    expect(text.split('\n')).toHaveLength(150_002);
    expect(text.split('\n')[150_000]).toBe(`${new Date(Date.UTC(2024, 0, 1) + 149_999 * 60_000).toISOString()},${100 + 149_999 / 7},${149_999 % 3}`);
  });

  it('writes every time as toISOString does, across days, years and the epoch, and repeats no stale numbers', () => {
    const times = [
      0, -1, -86_400_001, 1, 999, 59_999, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1),
      Date.UTC(1999, 11, 31, 23, 59, 59, 500), Date.UTC(10_000, 0, 1, 12), Date.UTC(2021, 5, 6, 7, 8, 9, 10) + 0.5,
    ];
    // Equal numbers on neighbouring rows, then a change in the drawdown alone, then in the equity alone.
    const numbers: Array<[number, number]> = [[100, 0], [100, 0], [100, 1.5], [99.5, 1.5], [99.5, 1.5], [100, 0], [-0, -0], [0, 0], [1e21, 5e-324], [1 / 3, 2 / 3], [1, 2], [1, 2], [3, 2]];
    const points = times.map((time, i) => ({ time, equity: numbers[i]![0], drawdownPct: numbers[i]![1] }));
    const expected = HEADER + points.map((p) => `${new Date(p.time).toISOString()},${String(p.equity)},${String(p.drawdownPct)}\n`).join('');
    expect(equityCsv(points)).toBe(expected);
  });

  it('writes the same text from the curve\'s columns as from its points', () => {
    const curve = new EquityCurve();
    for (let i = 0; i < 70_000; i++) curve.record(Date.UTC(2024, 0, 1) + i * 300_000, 1000 + Math.sin(i / 100) * (i % 7 === 0 ? 0 : 50), i % 2 === 0);
    expect(equityCsv(curve.columns())).toBe(equityCsv(curve.points()));
  });
});
