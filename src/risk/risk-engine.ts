import type { OrderDenial } from '../execution/types';
import type { PortfolioSnapshot } from '../portfolio/types';
import { checkExposure, type ExposureLimits } from './protections/exposure';
import { ProtectionSet, type ProtectionSettings, type RiskStateChange } from './protections/protection-set';
import { checkEntry, checkExit, type RiskLimits } from './risk-gate';
import { parseStake, stakeQuoteAmount, type Stake } from './sizing';
import type { TradingState } from './trading-state';

export type { TradingState } from './trading-state';

export interface RiskSettings extends RiskLimits {
  /** `trade.stake`: all, a quote amount, or a percentage of equity. */
  stake: string;
  /** The protections (`risk.*`); all off when absent. */
  protections?: ProtectionSettings;
  /** `risk.maxExposurePct` and `risk.maxAssetExposurePct`; 0 or absent: no limit. */
  exposure?: { totalPct: number; assetPct: number };
}

const PROTECTIONS_OFF: ProtectionSettings = {
  maxDrawdownPct: 0,
  dailyLossPct: 0,
  stoplossGuard: { count: 0, windowMin: 0, pauseMin: 0 },
  cooldownAfterLossMin: 0,
};

/** The books and the orders in flight, as the engine weighs a new order against them. */
export interface BookView {
  /** The portfolio, its positions valued at the latest prices. */
  snapshot: PortfolioSnapshot;
  /** Symbols with a pending buy. */
  pendingEntries: readonly string[];
  /** Quote currency already promised to pending buys. */
  reservedQuote: number;
  /**
   * With per-strategy sub-ledgers: the asking strategy, and the quote its own pending buys promised. Its
   * entry is sized from its sub-ledger (snapshot.strategies), never from another's cash.
   */
  strategy?: { name: string; reservedQuote: number };
}

export interface EntryAsk {
  symbol: string;
  /** The entry's fraction of the usual stake, in (0, 1]; 1 when absent. */
  size?: number;
}

export interface ExitAsk {
  symbol: string;
  /** Sell this fraction of the position (a reduce); all of it when absent. */
  fraction?: number;
  /** An exit of the symbol is already pending. */
  exitPending: boolean;
  /** The strategy asking: with sub-ledgers, only the one whose entry opened the position may sell it. */
  strategy?: string;
}

export type EntryReview =
  | { ok: true; quoteAmount: number }
  /** `quoteAmount`: what the stake asked for, when it got as far as sizing. */
  | { ok: false; denial: OrderDenial; quoteAmount?: number };
export type ExitReview = { ok: true; qty: number } | { ok: false; denial: OrderDenial };

/**
 * Every refusal of an order the strategies ask for, in one place, and how much an order may be: the
 * trading state, stale market data, an exit already pending, then the stake and the limits of the risk gate
 * (risk-gate.ts). A refusal is a value with a reason code, never an exception: the trade side turns it into
 * `order.denied`, so "why did it not trade?" always has an answer.
 */
export class RiskEngine {
  /** The protections whose verdicts make the trading state; the owner feeds them equity, trades and time. */
  readonly protections: ProtectionSet;
  private stake: Stake = { kind: 'all' };
  private limits: RiskLimits = { maxOpenPositions: 1, maxPositionPct: 100, minNotional: 0 };
  private exposure: ExposureLimits = { totalPct: 0, assetPct: 0, minNotional: 0 };
  /** Symbols whose live data is stale: no entries there until it resumes. */
  private readonly stale = new Set<string>();

  constructor(settings: RiskSettings) {
    this.protections = new ProtectionSet(settings.protections ?? PROTECTIONS_OFF);
    this.configureLimits(settings);
  }

  /** Takes new settings (when a reload changes them); answers the change of trading state it caused. */
  configure(settings: RiskSettings, now: number): RiskStateChange | undefined {
    this.configureLimits(settings);
    return this.protections.configure(settings.protections ?? PROTECTIONS_OFF, now);
  }

  get tradingState(): TradingState {
    return this.protections.state;
  }

  marketStale(symbols: readonly string[]): void {
    for (const symbol of symbols) this.stale.add(symbol);
  }

  marketResumed(symbols: readonly string[]): void {
    for (const symbol of symbols) this.stale.delete(symbol);
  }

  /** `now`: the market time the entry is decided at (its candle's close), for the symbol's cooldown. */
  reviewEntry(ask: EntryAsk, view: BookView, now: number): EntryReview {
    const { symbol } = ask;
    const state = this.protections.state;
    if (state !== 'active') {
      const code = state === 'halted' ? 'trading-halted' : 'trading-reducing';
      return { ok: false, denial: { code, message: `entry in ${symbol} refused: trading is ${state} (${this.protections.reason})` } };
    }
    if (this.stale.has(symbol)) {
      return { ok: false, denial: { code: 'stale-data', message: `entry in ${symbol} refused: its market data is stale, so its last price may be old` } };
    }
    const { snapshot, reservedQuote } = view;
    const cooling = this.protections.cooldown.refusal(symbol, now, snapshot.quoteCurrency);
    if (cooling !== undefined) return { ok: false, denial: { code: 'risk-cooldown', message: cooling } };
    const own = ownBooks(view);
    if (own !== undefined && own.snapshot === undefined) {
      return { ok: false, denial: { code: 'no-allocation', message: `entry in ${symbol} refused: ${own.name} has no capital in portfolio.allocations` } };
    }
    // Sized on the strategy's own sub-ledger when it has one, on the account otherwise.
    const sizing = own?.snapshot !== undefined ? { ...view, snapshot: own.snapshot, reservedQuote: own.reservedQuote } : view;
    // An entry may ask for part of the usual stake (its `size`), never more.
    const asked = stakeQuoteAmount(this.stake, { freeCash: sizing.snapshot.cash - sizing.reservedQuote, equity: sizing.snapshot.equity }) * (ask.size ?? 1);
    const verdict = checkEntry({ symbol, quoteAmount: asked }, sizing, this.limits);
    if (!verdict.ok) return { ok: false, denial: verdict.denial, quoteAmount: asked };
    // After the gate, so its reasons (the symbol is held, too many positions) come first.
    if (this.exposure.totalPct <= 0 && this.exposure.assetPct <= 0) return { ok: true, quoteAmount: verdict.quoteAmount };
    const exposed = checkExposure(symbol, verdict.quoteAmount, snapshot, reservedQuote, this.exposure);
    return exposed.ok ? exposed : { ok: false, denial: { code: exposed.code, message: exposed.message }, quoteAmount: asked };
  }

  /** `anyState`: an exit the risk rules order themselves (the kill switch's), which no state holds back. */
  reviewExit(ask: ExitAsk, snapshot: PortfolioSnapshot, anyState = false): ExitReview {
    const { symbol } = ask;
    if (this.protections.state === 'halted' && !anyState) {
      return { ok: false, denial: { code: 'trading-halted', message: `exit of ${symbol} refused: trading is halted (${this.protections.reason})` } };
    }
    if (ask.exitPending) return { ok: false, denial: { code: 'exit-pending', message: `exit of ${symbol} refused: an exit order is already pending` } };
    const owner = ask.strategy === undefined ? undefined : ownerOf(symbol, snapshot);
    if (owner !== undefined && owner !== ask.strategy) {
      return { ok: false, denial: { code: 'not-owner', message: `exit of ${symbol} refused: the position is ${owner}'s, and ${ask.strategy} trades its own sub-ledger only` } };
    }
    const verdict = checkExit(symbol, snapshot);
    if (!verdict.ok) return verdict;
    let held = 0;
    for (const p of snapshot.positions) if (p.symbol === symbol) held = p.qty;
    // A reduce sells its fraction of the position and keeps the rest (and the rest's protection).
    return { ok: true, qty: ask.fraction === undefined ? held : held * ask.fraction };
  }

  private configureLimits(settings: RiskSettings): void {
    this.stake = parseStake(settings.stake);
    this.limits = { maxOpenPositions: settings.maxOpenPositions, maxPositionPct: settings.maxPositionPct, minNotional: settings.minNotional };
    const exposure = settings.exposure ?? { totalPct: 0, assetPct: 0 };
    this.exposure = { ...exposure, minNotional: settings.minNotional };
  }
}

/** The asking strategy's sub-ledger as a snapshot to size on; `snapshot` undefined when it has none. */
function ownBooks(view: BookView): { name: string; snapshot: PortfolioSnapshot | undefined; reservedQuote: number } | undefined {
  const books = view.snapshot.strategies;
  if (books === undefined || view.strategy === undefined) return undefined;
  const { name, reservedQuote } = view.strategy;
  const book = books[name];
  return { name, reservedQuote, snapshot: book === undefined ? undefined : { ...view.snapshot, cash: book.cash, equity: book.equity } };
}

/** With sub-ledgers, the strategy holding `symbol`. */
function ownerOf(symbol: string, snapshot: PortfolioSnapshot): string | undefined {
  const books = snapshot.strategies;
  if (books === undefined) return undefined;
  for (const [name, book] of Object.entries(books)) if (book.symbols.includes(symbol)) return name;
  return undefined;
}
