import type { EquityPoint } from '../api/bot-control';

/**
 * The equity curve of a run as the API shows it: every mark kept until `capacity`, then every other one
 * dropped (the newest always kept), so a run of weeks stays a few hundred kB and still has its shape.
 */
export class EquityRecord {
  private points: EquityPoint[] = [];
  /** Marks taken per point kept: doubles each time the record is halved. */
  private stride = 1;
  private count = 0;
  /** The newest mark, kept or not: the curve always ends there. */
  private latest: EquityPoint | undefined;

  constructor(private readonly capacity = 20_000) {}

  add(time: number, equity: number): void {
    this.latest = { time, equity };
    const last = this.points[this.points.length - 1];
    if (last !== undefined && last.time === time) {
      last.equity = equity;
      return;
    }
    if (this.count++ % this.stride !== 0) return;
    this.points.push({ time, equity });
    if (this.points.length > this.capacity) {
      this.points = this.points.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  /** At most `maxPoints` (2 or more), evenly spread, the first and the newest always among them. */
  curve(maxPoints: number): EquityPoint[] {
    const all = [...this.points];
    const latest = this.latest;
    if (latest !== undefined && all[all.length - 1]?.time !== latest.time) all.push(latest);
    else if (latest !== undefined) all[all.length - 1] = latest;
    const n = all.length;
    if (n <= maxPoints) return all.map((p) => ({ ...p }));
    const out: EquityPoint[] = [];
    const step = (n - 1) / (maxPoints - 1);
    for (let i = 0; i < maxPoints; i++) out.push({ ...all[Math.round(i * step)]! });
    return out;
  }
}
