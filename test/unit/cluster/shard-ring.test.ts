import fc from 'fast-check';
import { assign, ownerOf } from '../../../src/cluster/shard-ring';

const symbolsOf = (n: number): string[] => Array.from({ length: n }, (_, i) => `COIN${i}/USDT`);

/** 1 to 8 distinct member names, and 0 to 60 distinct symbols. */
const members = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 });
const symbols = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 60 });

/** Members, and the same members in another order. */
const membersAndShuffled = members.chain((mems) =>
  fc.tuple(fc.constant(mems), fc.shuffledSubarray(mems, { minLength: mems.length, maxLength: mems.length })),
);

/** symbol -> owner, from assign's member -> symbols. */
function ownership(byMember: Map<string, string[]>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [member, owned] of byMember) for (const symbol of owned) owners.set(symbol, member);
  return owners;
}

describe('shard ring', () => {
  it('has no owner when there are no members', () => {
    expect(ownerOf('BTC/USDT', [])).toBeUndefined();
    expect(assign(['BTC/USDT'], [])).toEqual(new Map());
  });

  it('gives every symbol exactly one owner among the members, the one ownerOf names', () => {
    fc.assert(
      fc.property(symbols, members, (syms, mems) => {
        const byMember = assign(syms, mems);
        const listed = [...byMember.values()].flat();
        expect(listed.slice().sort()).toEqual(syms.slice().sort());
        for (const [member, owned] of byMember) {
          expect(mems).toContain(member);
          for (const symbol of owned) expect(ownerOf(symbol, mems)).toBe(member);
        }
      }),
    );
  });

  it('keeps each member’s symbols in the order they were given', () => {
    const syms = symbolsOf(30);
    for (const owned of assign(syms, ['a', 'b', 'c']).values()) {
      expect(owned).toEqual(syms.filter((s) => owned.includes(s)));
    }
  });

  it('lists a member that owns nothing with an empty list', () => {
    const byMember = assign(['BTC/USDT'], ['a', 'b', 'c', 'd']);
    expect([...byMember.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect([...byMember.values()].filter((owned) => owned.length === 0)).toHaveLength(3);
  });

  it('does not depend on the order of the members', () => {
    fc.assert(
      fc.property(symbols, membersAndShuffled, (syms, [mems, shuffled]) => {
        expect([...assign(syms, shuffled)]).toEqual([...assign(syms, mems)]);
        for (const symbol of syms) expect(ownerOf(symbol, shuffled)).toBe(ownerOf(symbol, mems));
      }),
    );
  });

  it('moves only the removed member’s symbols when a member leaves', () => {
    fc.assert(
      fc.property(symbols, members.filter((m) => m.length >= 2), fc.nat(), (syms, mems, pick) => {
        const gone = mems[pick % mems.length]!;
        const before = ownership(assign(syms, mems));
        const after = ownership(assign(syms, mems.filter((m) => m !== gone)));
        for (const symbol of syms) {
          if (before.get(symbol) !== gone) expect(after.get(symbol)).toBe(before.get(symbol));
          else expect(after.get(symbol)).not.toBe(gone);
        }
      }),
    );
  });

  it('takes symbols only to the new member when a member joins', () => {
    fc.assert(
      fc.property(symbols, members, fc.string({ minLength: 1, maxLength: 12 }), (syms, mems, joiner) => {
        fc.pre(!mems.includes(joiner));
        const before = ownership(assign(syms, mems));
        const after = ownership(assign(syms, [...mems, joiner]));
        for (const symbol of syms) {
          if (after.get(symbol) !== joiner) expect(after.get(symbol)).toBe(before.get(symbol));
        }
      }),
    );
  });

  it('spreads 100 symbols over 4 members with each getting between 10 and 40', () => {
    const byMember = assign(symbolsOf(100), ['analysis-1', 'analysis-2', 'analysis-3', 'analysis-4']);
    expect(byMember.size).toBe(4);
    for (const owned of byMember.values()) {
      expect(owned.length).toBeGreaterThanOrEqual(10);
      expect(owned.length).toBeLessThanOrEqual(40);
    }
  });

  it('names the same owners as SHA-1 of member, NUL, symbol did when this was written', () => {
    // Pinned: a change of hash would reshard every running cluster on upgrade, so it must be a deliberate one.
    expect(['BTC/USDT', 'ETH/USDT', 'SOL/USDT'].map((s) => ownerOf(s, ['a', 'b', 'c']))).toEqual(['a', 'c', 'a']);
  });
});
