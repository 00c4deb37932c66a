import type { CombineRule } from '../config/schema';
import type { SignalDetails } from './strategy-runner';

/** One strategy's signal on one candle of one symbol, before the strategies decide together. */
export interface Vote extends SignalDetails {
  strategy: string;
  action: 'enter' | 'exit' | 'reduce';
  /** In [0, 1]. */
  strength: number;
  reason: string;
}

export interface CombineSettings {
  rule: CombineRule;
  /** weighted: share of the total weight that must agree. */
  threshold: number;
  /** weighted: weight per strategy; 1 when not named. */
  weights: Readonly<Record<string, number>>;
  /** The strategies still running (a disabled one no longer votes, nor counts in the total); read only by majority and weighted. */
  voters: readonly string[];
}

export interface Rejection {
  vote: Vote;
  why: string;
}

export interface Decision {
  /** The signal to send, if any: the strongest agreeing vote, its reason naming the others. */
  signal: Vote | undefined;
  rejected: readonly Rejection[];
}

/**
 * How a symbol's strategies decide on one candle. Conflicts first: with a position open, exits (and
 * reduces) beat entries; when flat, entries beat exits, which have nothing to sell. Then the rule, on the
 * side that won:
 * - any: one vote is enough;
 * - majority: more than half of the running strategies must agree;
 * - weighted: the agreeing weight, each vote counted at its strength, must reach `threshold` of the total.
 * One signal goes out per candle and symbol, the strongest agreeing vote (ties: the first strategy listed);
 * every other vote is rejected with the reason.
 */
export function combineVotes(votes: readonly Vote[], inPosition: boolean, settings: CombineSettings): Decision {
  if (votes.length === 0) return { signal: undefined, rejected: [] };
  // The usual case of a backtest, on its hot path: one vote, a rule it always meets. Decided as below, with
  // none of the lists below built.
  if (votes.length === 1 && settings.rule === 'any') {
    const only = votes[0]!;
    return onSide(only, inPosition) ? { signal: only, rejected: NO_REJECTIONS } : { signal: undefined, rejected: [{ vote: only, why: offSide(inPosition) }] };
  }
  const side = votes.filter((v) => onSide(v, inPosition));
  const rejected: Rejection[] = votes.filter((v) => !side.includes(v)).map((vote) => ({ vote, why: offSide(inPosition) }));
  if (side.length === 0) return { signal: undefined, rejected };

  const verdict = agreement(side, settings);
  if (!verdict.ok) return { signal: undefined, rejected: [...rejected, ...side.map((vote) => ({ vote, why: verdict.why }))] };
  const strongest = side.reduce((best, v) => (v.strength > best.strength ? v : best));
  const others = side.filter((v) => v !== strongest);
  const signal = others.length === 0 ? strongest : { ...strongest, reason: `${strongest.reason} (with ${others.map((v) => v.strategy).join(', ')})` };
  return { signal, rejected: [...rejected, ...others.map((vote) => ({ vote, why: `merged into ${strongest.strategy}'s signal` }))] };
}

const NO_REJECTIONS: readonly Rejection[] = Object.freeze([]);

/** With a position open, exits (and reduces) decide; when flat, entries do. */
function onSide(vote: Vote, inPosition: boolean): boolean {
  return (vote.action !== 'enter') === inPosition;
}

function offSide(inPosition: boolean): string {
  return inPosition ? 'a position is open: exits decide' : 'no position is open: there is nothing to sell';
}

function agreement(side: readonly Vote[], settings: CombineSettings): { ok: true } | { ok: false; why: string } {
  const total = Math.max(1, settings.voters.length);
  switch (settings.rule) {
    case 'any':
      return { ok: true };
    case 'majority':
      return side.length * 2 > total ? { ok: true } : { ok: false, why: `${side.length} of ${total} strategies agree, not a majority` };
    case 'weighted': {
      const weight = (name: string): number => settings.weights[name] ?? 1;
      const all = settings.voters.reduce((sum, name) => sum + weight(name), 0);
      const agreeing = side.reduce((sum, v) => sum + weight(v.strategy) * v.strength, 0);
      const share = all > 0 ? agreeing / all : 0;
      return share >= settings.threshold ? { ok: true } : { ok: false, why: `agreeing weight ${share.toFixed(2)} is below the threshold ${settings.threshold}` };
    }
  }
}
