import { combineVotes, type CombineSettings, type Vote } from '../../../src/strategy/combine-signals';

const vote = (strategy: string, action: Vote['action'], strength = 1): Vote => ({ strategy, action, strength, reason: `${strategy} says ${action}` });
const settings = (over: Partial<CombineSettings> = {}): CombineSettings => ({ rule: 'any', threshold: 0.5, weights: {}, voters: ['a', 'b', 'c'], ...over });

describe('combineVotes', () => {
  it('any: one vote is enough; the strongest of several goes out, naming the others', () => {
    const decision = combineVotes([vote('a', 'enter', 0.4), vote('b', 'enter', 0.9)], false, settings());
    expect(decision.signal).toMatchObject({ strategy: 'b', action: 'enter', reason: 'b says enter (with a)' });
    expect(decision.rejected).toEqual([{ vote: vote('a', 'enter', 0.4), why: "merged into b's signal" }]);
  });

  it('resolves a conflict by the position: exits win when one is open, entries when flat', () => {
    const votes = [vote('a', 'enter'), vote('b', 'exit')];
    expect(combineVotes(votes, true, settings()).signal?.action).toBe('exit');
    expect(combineVotes(votes, true, settings()).rejected.map((r) => r.why)).toEqual(['a position is open: exits decide']);
    expect(combineVotes(votes, false, settings()).signal?.action).toBe('enter');
    expect(combineVotes(votes, false, settings()).rejected.map((r) => r.why)).toEqual(['no position is open: there is nothing to sell']);
  });

  it('majority: more than half of the running strategies must agree', () => {
    expect(combineVotes([vote('a', 'enter')], false, settings({ rule: 'majority' })).signal).toBeUndefined();
    expect(combineVotes([vote('a', 'enter')], false, settings({ rule: 'majority' })).rejected[0]?.why).toBe('1 of 3 strategies agree, not a majority');
    expect(combineVotes([vote('a', 'enter'), vote('c', 'enter')], false, settings({ rule: 'majority' })).signal?.strategy).toBe('a');
    // A disabled strategy no longer counts: 1 of 1 is a majority.
    expect(combineVotes([vote('a', 'enter')], false, settings({ rule: 'majority', voters: ['a'] })).signal?.strategy).toBe('a');
  });

  it('weighted: agreeing weight times strength against the threshold of the total weight', () => {
    const weighted = settings({ rule: 'weighted', threshold: 0.5, weights: { a: 3 } }); // total 3 + 1 + 1 = 5
    expect(combineVotes([vote('a', 'enter', 1)], false, weighted).signal?.strategy).toBe('a'); // 3/5 = 0.6
    const weak = combineVotes([vote('a', 'enter', 0.5)], false, weighted); // 1.5/5 = 0.3
    expect(weak.signal).toBeUndefined();
    expect(weak.rejected[0]?.why).toBe('agreeing weight 0.30 is below the threshold 0.5');
    expect(combineVotes([vote('b', 'exit'), vote('c', 'reduce')], true, weighted).rejected[0]?.why).toBe('agreeing weight 0.40 is below the threshold 0.5');
  });

  it('no votes, no decision', () => {
    expect(combineVotes([], false, settings())).toEqual({ signal: undefined, rejected: [] });
  });
});
