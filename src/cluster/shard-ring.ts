import { createHash } from 'node:crypto';

/**
 * Which analysis member owns which symbol, by rendezvous (highest random weight) hashing: every member
 * scores every symbol and the highest score owns it. Every process computes the same answer from the same
 * member list with nothing shared, and a member joining or leaving moves only the symbols it wins or held,
 * which a modulo ring would not.
 */

/** The first 64 bits of SHA-1: stable across processes, machines and Node versions, unlike Math.random or a seeded PRNG. */
function weight(member: string, symbol: string): bigint {
  // The NUL keeps ('ab', 'c') and ('a', 'bc') apart.
  return createHash('sha1').update(`${member}\u0000${symbol}`).digest().readBigUInt64BE(0);
}

/** The member that owns `symbol`, or undefined when there are no members. */
export function ownerOf(symbol: string, members: readonly string[]): string | undefined {
  let owner: string | undefined;
  let best = -1n;
  for (const member of members) {
    const w = weight(member, symbol);
    // A tie (two members hashing alike) goes to the smaller name, so the list's order never decides.
    if (w > best || (w === best && owner !== undefined && member < owner)) {
      owner = member;
      best = w;
    }
  }
  return owner;
}

/**
 * Each member's symbols, in the order `symbols` gives them. Every member is a key, with an empty list when it
 * owns nothing, so a caller can tell a member with no work from one that is not in the ring; keys are in name
 * order, so the map is the same whatever order `members` came in.
 */
export function assign(symbols: readonly string[], members: readonly string[]): Map<string, string[]> {
  const byMember = new Map<string, string[]>();
  for (const member of [...new Set(members)].sort()) byMember.set(member, []);
  for (const symbol of symbols) {
    const owner = ownerOf(symbol, members);
    if (owner !== undefined) byMember.get(owner)!.push(symbol);
  }
  return byMember;
}
