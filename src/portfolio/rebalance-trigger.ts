import { splitSymbol } from '../market/symbols';
import type { Candle } from '../market/types';
import type { Ledger } from './ledger';
import { planLegs, type RebalanceAsset, type RebalancePlan, type RebalanceReason } from './rebalance';
import { durationMs, REBALANCE_DEFAULTS, type RebalanceSettings } from './rebalance-settings';

export interface RebalanceTriggerState {
  /** Open time of the period the last rebalance was decided on; null before the first. */
  lastAt: number | null;
  pending: boolean;
}

/**
 * When to rebalance, asked at every period's close (after the books marked the closes):
 *
 * - the first period with a price for every symbol: the account buys into its targets ("start");
 * - once `every` has passed since the last rebalance decided, counted in market time (UTC) from the open
 *   times of the periods, so "1d" on 1h candles rebalances at periods 0, 24, 48, ... ("every");
 * - otherwise when any asset's weight at the closes, the quote currency's included, is more than
 *   `thresholdPct` percentage points from its target ("threshold");
 * - never while the previous rebalance's orders are pending.
 *
 * This runs every period, so it allocates nothing unless it trades: prices live in a typed array, the weight
 * check is a multiplication and a compare per asset.
 */
export class RebalanceTrigger {
  private readonly symbols: readonly string[];
  private readonly index = new Map<string, number>();
  private readonly targets: Float64Array;
  private readonly prices: Float64Array;
  private readonly cashTargetPct: number;
  private readonly thresholdPct: number;
  private readonly everyMs: number;
  readonly minTradeQuote: number;
  /** Open time of the period the last rebalance was decided on; NaN before the first. */
  private lastAt = Number.NaN;
  private pending = false;

  constructor(
    settings: RebalanceSettings,
    symbols: readonly string[],
    quote: string,
    private readonly stepMs: number,
  ) {
    this.symbols = [...symbols];
    this.targets = new Float64Array(symbols.length);
    this.prices = new Float64Array(symbols.length).fill(Number.NaN);
    symbols.forEach((symbol, i) => {
      this.index.set(symbol, i);
      this.targets[i] = settings.targets?.[splitSymbol(symbol).base] ?? 0;
    });
    this.cashTargetPct = settings.targets?.[quote] ?? 0;
    this.thresholdPct = settings.thresholdPct ?? REBALANCE_DEFAULTS.thresholdPct;
    this.everyMs = settings.every ? durationMs(settings.every)! : Number.POSITIVE_INFINITY;
    this.minTradeQuote = settings.minTradeQuote ?? REBALANCE_DEFAULTS.minTradeQuote;
  }

  /** When it last decided and whether its plan is still out: what a state file keeps of it. */
  toState(): RebalanceTriggerState {
    return { lastAt: Number.isNaN(this.lastAt) ? null : this.lastAt, pending: this.pending };
  }

  /**
   * Goes on from `toState()`. A pending plan's orders come back with the trade side's state (both are
   * written in the same commit), which reports them done as usual.
   */
  restore(state: RebalanceTriggerState): void {
    this.lastAt = state.lastAt ?? Number.NaN;
    this.pending = state.pending;
  }

  /** A plan was handed to the trade side: no other until `done`. */
  get isPending(): boolean {
    return this.pending;
  }

  /** The trade side finished the last plan (its legs filled, or were refused). */
  done(): void {
    this.pending = false;
  }

  /** The plan to trade at this period's close, or undefined (most periods, without allocating). */
  onPeriod(time: number, candles: readonly Candle[], ledger: Ledger): RebalancePlan | undefined {
    const { prices } = this;
    for (let i = 0; i < candles.length; i++) {
      const at = this.index.get(candles[i]!.symbol);
      if (at !== undefined) prices[at] = candles[i]!.close;
    }
    if (this.pending) return undefined;
    const reason = this.reason(time, ledger);
    if (reason === undefined) return undefined;
    this.lastAt = time;
    const assets: RebalanceAsset[] = this.symbols.map((symbol, i) => ({ symbol, qty: ledger.heldQty(symbol), price: prices[i]!, targetPct: this.targets[i]! }));
    const equity = ledger.equity();
    const { sells, buys } = planLegs(equity, assets, this.minTradeQuote);
    if (sells.length === 0 && buys.length === 0) return undefined;
    this.pending = true;
    return { time, notBefore: time + this.stepMs, reason, equity, minTradeQuote: this.minTradeQuote, sells, buys };
  }

  private reason(time: number, ledger: Ledger): RebalanceReason | undefined {
    const { prices, targets, symbols, thresholdPct } = this;
    for (let i = 0; i < prices.length; i++) if (Number.isNaN(prices[i]!)) return undefined;
    if (Number.isNaN(this.lastAt)) return 'start';
    if (time - this.lastAt >= this.everyMs) return 'every';
    const equity = ledger.equity();
    if (!(equity > 0)) return undefined;
    const toPct = 100 / equity;
    if (Math.abs(ledger.cash() * toPct - this.cashTargetPct) > thresholdPct) return 'threshold';
    // The positions' values are at the closes: the books marked them just before.
    for (let i = 0; i < symbols.length; i++) if (Math.abs(ledger.valueOf(symbols[i]!) * toPct - targets[i]!) > thresholdPct) return 'threshold';
    return undefined;
  }
}
