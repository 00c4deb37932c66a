import type { EquityPoint } from './equity-curve';

/** The equity curve as CSV ('\n' line ends, trailing newline): ISO-8601 UTC time, equity and drawdown in percent at full precision. */
export function equityCsv(points: readonly Pick<EquityPoint, 'time' | 'equity' | 'drawdownPct'>[]): string {
  // toISOString formats the time it is given; it does not read the clock.
  const rows = points.map((p) => `${new Date(p.time).toISOString()},${String(p.equity)},${String(p.drawdownPct)}\n`);
  return `time,equity,drawdown\n${rows.join('')}`;
}
