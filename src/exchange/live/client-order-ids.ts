import type { Clock } from '../../core/clock';

/** What Binance accepts as newClientOrderId; most exchanges accept a subset of it or more. */
export const BINANCE_CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

const PREFIX = /^[A-Za-z0-9]{1,8}$/;

export interface ClientOrderIds {
  readonly prefix: string;
  /** This session's part of every id: its start time in base 36. */
  readonly session: string;
  next(): string;
  /** True for an id made by any session of this bot (same prefix): the ones reconciliation may adopt. */
  isOurs(id: string | undefined): boolean;
  /** True for an id made by this very session. */
  isThisSession(id: string | undefined): boolean;
}

/**
 * Ids `<prefix>-<session>-<sequence>`, e.g. `at-lz3k9q0w-1f`: session = the clock's time when the session
 * started, in base 36, sequence = a counter in base 36. No randomness, so a replayed run makes the same ids.
 *
 * Unique across restarts because two sessions never start in the same millisecond: the next session
 * starts after this one did, so its session part differs, and within a session the counter never repeats.
 * The one way to collide is two processes trading the same account with the same prefix started in the
 * same millisecond (or a wall clock stepped back across a restart): give concurrent bots distinct prefixes.
 * The separators make the parse unambiguous: prefix and parts are alphanumeric, '-' only separates.
 *
 * Length: prefix <= 8, session 8 until 2059, sequence <= 36 - 18 = 18 base-36 digits: far beyond need.
 */
export function createClientOrderIds(prefix: string, clock: Clock): ClientOrderIds {
  if (!PREFIX.test(prefix)) throw new Error(`client order id prefix "${prefix}" must be 1 to 8 letters or digits`);
  const startedAt = clock.now();
  if (!Number.isSafeInteger(startedAt) || startedAt < 0) throw new Error(`cannot start an order id session at time ${startedAt}`);
  const session = startedAt.toString(36);
  const head = `${prefix}-${session}-`;
  const ours = new RegExp(`^${prefix}-[0-9a-z]{1,12}-[0-9a-z]{1,20}$`);
  let sequence = 0;
  return {
    prefix,
    session,
    next() {
      const id = head + (++sequence).toString(36);
      if (!BINANCE_CLIENT_ID.test(id)) throw new Error(`client order id ${id} is longer than the 36 characters exchanges accept`);
      return id;
    },
    isOurs: (id) => id !== undefined && ours.test(id),
    isThisSession: (id) => id !== undefined && id.startsWith(head) && ours.test(id),
  };
}
