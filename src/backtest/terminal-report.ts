// A namespace import: the typings declare the package's default export as a colour string, not the module.
import * as asciichart from 'asciichart';
import { lastOfBuckets } from './downsample';
import type { EquityPoint } from './equity-curve';
import type { BacktestMetrics } from './metrics';

/** The metrics as labelled text, in reading order: the terminal table and the HTML report show the same rows. */
export function metricRows(metrics: BacktestMetrics): Array<[label: string, value: string]> {
  return [
    ['Total return', percent(metrics.totalReturnPct)],
    ['Buy & hold return', percent(metrics.buyHoldReturnPct)],
    ['Max drawdown', percent(metrics.maxDrawdownPct)],
    ['Sharpe ratio', decimal(metrics.sharpe)],
    ['Sortino ratio', decimal(metrics.sortino)],
    ['Trades', String(metrics.trades)],
    ['Win rate', percent(metrics.winRatePct)],
    ['Profit factor', decimal(metrics.profitFactor)],
    ['Average trade', percent(metrics.avgTradePct)],
    ['Best trade', percent(metrics.bestTradePct)],
    ['Worst trade', percent(metrics.worstTradePct)],
    ['Exposure', percent(metrics.exposurePct)],
    ['Fees paid', decimal(metrics.feesPaid)],
  ];
}

/**
 * `extra` rows (run context: strategy, symbols, period...) then the metrics, labels left-aligned and values
 * right-aligned so the decimal points line up. Percentages and ratios have 2 decimals, a missing figure is
 * '-'; an extra number is shown as is when whole, with 2 decimals otherwise.
 */
export function formatMetricsTable(metrics: BacktestMetrics, extra: Record<string, string | number> = {}): string {
  const rows: Array<[string, string]> = [
    ...Object.entries(extra).map(([label, value]): [string, string] => [label, typeof value === 'number' && !Number.isInteger(value) ? decimal(value) : String(value)]),
    ...metricRows(metrics),
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  return rows.map(([label, value]) => `${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`).join('\n');
}

export interface EquityChartOptions {
  /** Plot columns, one per bucket of points; default 70. */
  width?: number;
  /** Plot rows above the lowest one, so height + 1 lines; default 12. */
  height?: number;
}

/**
 * The equity curve as a terminal line chart: `height` + 1 lines of plot with the equity on the left axis,
 * then a line with the curve's first and last times (ISO-8601 UTC) under the plot's ends. The curve is cut
 * into `width` buckets and each shows its last point, so the chart ends on the final equity.
 */
export function asciiEquityChart(points: EquityChartColumns | readonly Pick<EquityPoint, 'time' | 'equity'>[], options: EquityChartOptions = {}): string {
  const { width = 70, height = 12 } = options;
  if (!Number.isInteger(height) || height < 1) throw new Error(`chart height ${height} must be a positive integer`);
  const { time, equity } = Array.isArray(points) ? chartColumns(points as readonly Pick<EquityPoint, 'time' | 'equity'>[]) : (points as EquityChartColumns);
  if (equity.length === 0) return '(no equity points)';
  const first = { time: time[0]! };
  const last = { time: time[time.length - 1]! };
  const values = lastOfBuckets(equity, width);
  let low = Math.min(...values);
  let high = Math.max(...values);
  // A flat curve still needs a value range for its axis; a unit either side keeps the line mid-chart.
  if (low === high) {
    low -= 1;
    high += 1;
  }
  // asciichart rounds min x ratio and max x ratio separately, which can give height +/- 1 rows; plotting the
  // curve rescaled onto exactly 1..height + 1 pins the row count, and the labels map back to equity. Not
  // 0..height: asciichart marks the row at 0 with the data-point symbol, a phantom point on the axis.
  const equityAt = (row: number) => low + (row / height) * (high - low);
  const labelWidth = Math.max(...Array.from({ length: height + 1 }, (_, row) => decimal(equityAt(row)).length));
  const plot = asciichart.plot(
    values.map((v) => 1 + ((v - low) / (high - low)) * height),
    { height, min: 1, max: height + 1, format: (row) => decimal(equityAt(row - 1)).padStart(labelWidth) },
  );
  const plotLines = plot.split('\n').map((line) => line.trimEnd());
  return [...plotLines, timeLine(first.time, last.time, labelWidth + 1, values.length)].join('\n');
}

/** The curve as the chart reads it: EquityCurve.columns() gives this without an object per point. */
export interface EquityChartColumns {
  time: ArrayLike<number>;
  equity: ArrayLike<number>;
}

function chartColumns(points: readonly Pick<EquityPoint, 'time' | 'equity'>[]): EquityChartColumns {
  return { time: points.map((p) => p.time), equity: points.map((p) => p.equity) };
}

// The first time starts under the plot's first column and the last ends under its last one when both fit.
function timeLine(firstTime: number, lastTime: number, margin: number, columns: number): string {
  const from = isoTime(firstTime);
  if (firstTime === lastTime) return ' '.repeat(margin) + from;
  const to = isoTime(lastTime);
  return ' '.repeat(margin) + from + ' '.repeat(Math.max(2, columns - from.length - to.length)) + to;
}

// toISOString formats the time it is given; it does not read the clock.
function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function percent(value: number | null): string {
  return value === null ? '-' : `${decimal(value)} %`;
}

function decimal(value: number | null): string {
  if (value === null) return '-';
  const text = value.toFixed(2);
  // A tiny negative rounds to "-0.00", which reads as a loss that is not there.
  return text === '-0.00' ? '0.00' : text;
}
