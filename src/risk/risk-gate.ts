import type { OrderDenial } from '../execution/types';
import type { PortfolioSnapshot } from '../portfolio/types';

export interface EntryRequest {
  symbol: string;
  /** Quote currency the stake asks to spend. */
  quoteAmount: number;
}

export interface RiskState {
  snapshot: PortfolioSnapshot;
  /** Symbols with a pending buy. */
  pendingEntries: readonly string[];
  /** Quote currency already promised to pending buys. */
  reservedQuote: number;
}

export interface RiskLimits {
  maxOpenPositions: number;
  /** Largest entry, as a percentage of equity. */
  maxPositionPct: number;
  /** Smallest order the exchange accepts, in quote currency. */
  minNotional: number;
}

export type EntryVerdict = { ok: true; quoteAmount: number; notes: readonly string[] } | { ok: false; denial: OrderDenial };
export type ExitVerdict = { ok: true } | { ok: false; denial: OrderDenial };

/**
 * Decides whether an entry may go ahead and how much it may spend. The rules run in a fixed order so the
 * reason given is the first one that applies: the symbol is taken, too many positions, then the amount,
 * capped by equity share and by free cash (cash minus what pending buys have reserved).
 */
export function checkEntry(request: EntryRequest, state: RiskState, limits: RiskLimits): EntryVerdict {
  const { symbol, quoteAmount } = request;
  const { snapshot, pendingEntries } = state;
  const quote = snapshot.quoteCurrency;
  // Messages are built only when they are used: this runs on every entry signal of a backtest.
  const deny = (code: OrderDenial['code'], why: string): EntryVerdict => ({
    ok: false,
    denial: { code, message: `entry of ${money(quoteAmount)} ${quote} in ${symbol} refused: ${why}` },
  });

  if (!Number.isFinite(quoteAmount) || quoteAmount < 0) return deny('invalid-order', 'the amount must be a number >= 0');

  const open = openSymbols(snapshot);
  if (open.includes(symbol)) return deny('already-in-position', `a position in ${symbol} is already open`);
  if (pendingEntries.includes(symbol)) return deny('already-in-position', `an entry in ${symbol} is already pending`);

  const pending = distinctCount(pendingEntries);
  if (open.length + pending >= limits.maxOpenPositions) {
    const held = `${open.length} ${plural(open.length, 'position')} open`;
    const counted = pending > 0 ? `${held} and ${pending} pending` : held;
    return deny('max-open-positions', `${counted}, the limit is ${limits.maxOpenPositions}`);
  }

  // Built only when there is something to note: most entries pass untouched.
  let notes: string[] | undefined;
  let amount = quoteAmount;
  const equityCap = (snapshot.equity * limits.maxPositionPct) / 100;
  if (amount > equityCap) {
    (notes ??= []).push(`capped at ${limits.maxPositionPct}% of equity ${money(snapshot.equity)}: ${money(amount)} -> ${money(equityCap)} ${quote}`);
    amount = equityCap;
  }
  const freeCash = Math.max(0, snapshot.cash - state.reservedQuote);
  const cashExplained = (): string => `cash ${money(snapshot.cash)} minus ${money(state.reservedQuote)} reserved by pending buys`;
  const beforeCashCap = amount;
  if (amount > freeCash) {
    (notes ??= []).push(`capped at free cash: ${money(amount)} -> ${money(freeCash)} ${quote} (${cashExplained()})`);
    amount = freeCash;
  }

  // Even with no minimum order (trade.minNotional 0) an entry must spend money, not the ulps a buy of all the
  // cash leaves behind, which would open a position worth 1e-12.
  const dust = snapshot.equity * CASH_DUST;
  if (amount < limits.minNotional || amount <= dust) {
    const minimum = limits.minNotional > 0 ? `below the minimum order of ${money(limits.minNotional)} ${quote}` : 'too little for an order';
    // Cash is the reason whenever there is not enough of it for the minimum and it was the binding limit,
    // including a stake of "all" that asked for exactly the little cash there was.
    if ((freeCash < limits.minNotional || freeCash <= dust) && freeCash <= beforeCashCap) {
      return deny('insufficient-cash', `free cash is ${money(freeCash)} ${quote} (${cashExplained()}), ${minimum}`);
    }
    const capped = amount < quoteAmount ? ` after capping at ${limits.maxPositionPct}% of equity` : '';
    return deny('below-min-notional', `${money(amount)} ${quote}${capped} is ${minimum}`);
  }
  return { ok: true, quoteAmount: amount, notes: notes ?? NO_NOTES };
}

/** An exit answers to the open position alone: what pending buys hold back does not matter to it. */
export function checkExit(symbol: string, snapshot: PortfolioSnapshot): ExitVerdict {
  for (const p of snapshot.positions) if (p.qty > 0 && p.symbol === symbol) return EXIT_OK;
  return { ok: false, denial: { code: 'no-position', message: `exit of ${symbol} refused: no position in ${symbol} is open` } };
}

/** Free cash up to this share of the equity is float dust, not money to enter with. */
const CASH_DUST = 1e-9;

const NO_NOTES: readonly string[] = Object.freeze([]);
const EXIT_OK: ExitVerdict = Object.freeze({ ok: true });

/** How many different symbols: a handful at most, so no Set is built for it. */
function distinctCount(symbols: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < symbols.length; i++) if (symbols.indexOf(symbols[i]!) === i) count += 1;
  return count;
}

function openSymbols(snapshot: PortfolioSnapshot): string[] {
  const symbols: string[] = [];
  for (const p of snapshot.positions) if (p.qty > 0) symbols.push(p.symbol);
  return symbols;
}

function money(value: number): string {
  return value.toFixed(2);
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}
