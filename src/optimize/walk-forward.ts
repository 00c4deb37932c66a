/**
 * Walk-forward splitting. The time range of the data (first to last candle, after --from/--to) is cut into
 * k + 1 consecutive segments of (nearly) equal numbers of candle periods; fold i (1..k) optimizes on its
 * in-sample span and runs the winner on segment i + 1, which it has never seen:
 *
 * - rolling (default): in-sample = segment i alone, so every fold learns from the same amount of data;
 * - anchored: in-sample = segments 1..i, growing from the start of the data.
 *
 * Segments are counted in candle periods of the timeframe from the first candle, gaps included, so a
 * segment is a span of time; the earlier segments take the shorter share when the periods do not divide
 * evenly. Each span is a fresh backtest: a new account at the start balance, indicators warming up on the
 * span's own first candles.
 */
import { UserError } from '../core/errors';

export const WALK_FORWARD_SCHEMES = ['rolling', 'anchored'] as const;
export type WalkForwardScheme = (typeof WALK_FORWARD_SCHEMES)[number];

/** First and last candle open time, both included (what a replay range means). */
export interface Span {
  from: number;
  to: number;
}

export interface Fold {
  /** 1-based. */
  fold: number;
  inSample: Span;
  outOfSample: Span;
}

export interface WalkForwardPlan {
  scheme: WalkForwardScheme;
  segments: Span[];
  folds: Fold[];
}

/** Fewest candle periods a segment may have. */
export const MIN_SEGMENT_PERIODS = 2;

export function walkForwardPlan(first: number, last: number, stepMs: number, folds: number, scheme: WalkForwardScheme): WalkForwardPlan {
  if (!Number.isInteger(folds) || folds < 1) throw new RangeError(`folds must be a positive integer, got ${folds}`);
  if (!(stepMs > 0) || last < first) throw new RangeError(`bad time range ${first}..${last} step ${stepMs}`);
  const periods = Math.floor((last - first) / stepMs) + 1;
  const parts = folds + 1;
  if (periods < parts * MIN_SEGMENT_PERIODS) {
    throw new UserError(
      `--walk-forward ${folds} needs ${parts} segments of at least ${MIN_SEGMENT_PERIODS} candles, but the data spans ${periods} candle period(s); use fewer folds or more data`,
    );
  }
  const segments: Span[] = [];
  for (let j = 0; j < parts; j++) {
    const start = Math.floor((j * periods) / parts);
    const end = Math.floor(((j + 1) * periods) / parts) - 1;
    segments.push({ from: first + start * stepMs, to: first + end * stepMs });
  }
  const plan: Fold[] = [];
  for (let i = 0; i < folds; i++) {
    const inSample = scheme === 'anchored' ? { from: segments[0]!.from, to: segments[i]!.to } : { ...segments[i]! };
    plan.push({ fold: i + 1, inSample, outOfSample: { ...segments[i + 1]! } });
  }
  return { scheme, segments, folds: plan };
}

export function isWalkForwardScheme(name: string): name is WalkForwardScheme {
  return (WALK_FORWARD_SCHEMES as readonly string[]).includes(name);
}
