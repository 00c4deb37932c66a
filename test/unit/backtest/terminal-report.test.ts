import type { BacktestMetrics } from '../../../src/backtest/metrics';
import { asciiEquityChart, formatMetricsTable, metricRows } from '../../../src/backtest/terminal-report';

const METRICS: BacktestMetrics = {
  totalReturnPct: 12.345,
  buyHoldReturnPct: -3.5,
  maxDrawdownPct: 25,
  sharpe: 1.2345,
  sortino: -0.004,
  trades: 7,
  winRatePct: 42.857142857142854,
  profitFactor: null,
  avgTradePct: 0.125,
  bestTradePct: 9.999,
  worstTradePct: null,
  exposurePct: 60,
  feesPaid: 3.14159,
};

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

function points(equities: number[]): Array<{ time: number; equity: number }> {
  return equities.map((equity, i) => ({ time: START + i * DAY, equity }));
}

// Where the axis character sits: everything left of it is label and spacing.
function axisColumn(line: string): number {
  return line.search(/[┤┼]/);
}

describe('formatMetricsTable', () => {
  it('shows every metric with its formatted value on one line', () => {
    const lines = formatMetricsTable(METRICS, {}).split('\n');
    const expected: Array<[string, string]> = [
      ['Total return', '12.35 %'], // 12.345 rounds up
      ['Buy & hold return', '-3.50 %'],
      ['Max drawdown', '25.00 %'],
      ['Sharpe ratio', '1.23'],
      ['Sortino ratio', '0.00'], // -0.004 rounds to 0, without a minus sign
      ['Trades', '7'],
      ['Win rate', '42.86 %'], // 3 / 7
      ['Profit factor', '-'],
      ['Average trade', '0.13 %'], // 0.125 rounds up
      ['Best trade', '10.00 %'],
      ['Worst trade', '-'],
      ['Exposure', '60.00 %'],
      ['Fees paid', '3.14'],
    ];
    expect(lines).toHaveLength(expected.length);
    expected.forEach(([label, value], i) => {
      const line = lines[i] ?? '';
      expect(line.startsWith(label)).toBe(true);
      expect(line.endsWith(` ${value}`)).toBe(true);
    });
  });

  it('puts the extra rows first, whole numbers as they are and fractions with 2 decimals', () => {
    const lines = formatMetricsTable(METRICS, { strategy: 'sma-cross', candles: 8_760, 'start balance': 1_000.5 }).split('\n');
    expect(lines).toHaveLength(3 + 13);
    expect(lines[0]).toMatch(/^strategy +sma-cross$/);
    expect(lines[1]).toMatch(/^candles +8760$/);
    expect(lines[2]).toMatch(/^start balance +1000\.50$/);
  });

  it('aligns labels on the left and values on the right', () => {
    const lines = formatMetricsTable(METRICS, { strategy: 'sma-cross' }).split('\n');
    // the longest label, "Buy & hold return", is 17 characters; values start after two spaces
    for (const line of lines) expect(line.charAt(17)).toBe(' ');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('gives the HTML report the same rows', () => {
    expect(metricRows(METRICS)).toContainEqual(['Win rate', '42.86 %']);
    expect(metricRows(METRICS)).toHaveLength(13);
  });
});

describe('asciiEquityChart', () => {
  it('draws height + 1 plot lines and a time line', () => {
    const chart = asciiEquityChart(points([100, 120, 90, 130, 104]), { height: 5 });
    expect(chart.split('\n')).toHaveLength(5 + 1 + 1);
  });

  it('keeps height + 1 lines whatever the value range', () => {
    // asciichart alone rounds the range ends separately and can be a row short or long
    for (const equities of [[0.1, 0.3, 0.7], [100.5, 112.49], [-5, 3, 1e6], [7, 7, 7]]) {
      for (let height = 1; height <= 15; height++) {
        expect(asciiEquityChart(points(equities), { height }).split('\n')).toHaveLength(height + 2);
      }
    }
  });

  it('is never wider than width plot columns after the labels', () => {
    const equities = Array.from({ length: 1_000 }, (_, i) => 1_000 + 100 * Math.sin(i / 50));
    const plotLines = asciiEquityChart(points(equities), { width: 40, height: 8 }).split('\n').slice(0, -1);
    const margin = axisColumn(plotLines[0] ?? '');
    expect(margin).toBeGreaterThan(0);
    for (const line of plotLines) expect(line.length).toBeLessThanOrEqual(margin + 40);
    // 1000 points become exactly 40 columns, the first on the axis: some line reaches the 40th
    expect(Math.max(...plotLines.map((l) => l.length))).toBe(margin + 40);
  });

  it('uses 70 columns and 12 rows by default', () => {
    const equities = Array.from({ length: 500 }, (_, i) => 1_000 + i);
    const lines = asciiEquityChart(points(equities)).split('\n');
    expect(lines).toHaveLength(12 + 2);
    const margin = axisColumn(lines[0] ?? '');
    expect(Math.max(...lines.slice(0, -1).map((l) => l.length))).toBe(margin + 70);
  });

  it('keeps the last point when it downsamples', () => {
    // 100 points at 100 and a final jump to 200, squeezed into 10 columns
    const equities = [...Array.from({ length: 99 }, () => 100), 200];
    const lines = asciiEquityChart(points(equities), { width: 10, height: 4 }).split('\n');
    const top = lines[0] ?? '';
    expect(top.startsWith('200.00')).toBe(true);
    // the rise is drawn in the last of the 10 columns: the axis column + 9
    expect(top.length).toBe(axisColumn(top) + 10);
    expect(top.endsWith('╭')).toBe(true);
  });

  it('labels the axis from the highest to the lowest equity with 2 decimals', () => {
    // 5 rows over 90..130: 10 apart
    const lines = asciiEquityChart(points([100, 120, 90, 130, 104]), { height: 4 }).split('\n');
    expect(lines.slice(0, 5).map((l) => l.slice(0, axisColumn(l)).trim())).toEqual(['130.00', '120.00', '110.00', '100.00', '90.00']);
  });

  it('prints the first and last times under the chart', () => {
    const lines = asciiEquityChart(points([100, 101, 102]), { height: 2 }).split('\n');
    // three days from 2024-01-01
    expect(lines[lines.length - 1]?.trim()).toMatch(/^2024-01-01T00:00:00\.000Z +2024-01-03T00:00:00\.000Z$/);
    expect(asciiEquityChart(points([100]), { height: 2 }).split('\n').pop()?.trim()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('says so when there is nothing to draw', () => {
    expect(asciiEquityChart([])).toBe('(no equity points)');
  });

  it('refuses a height that is not a positive integer', () => {
    expect(() => asciiEquityChart(points([1, 2]), { height: 0 })).toThrow(/height/);
  });
});
