import type { Candle } from '../market/types';
import type { RunnerPosition, StrategyResult } from '../strategy/strategy-runner';
import type { EntryProtection, StrategyFill } from '../strategy/types';

type Pending = { kind: 'enter'; size: number; protection: EntryProtection | undefined } | { kind: 'exit' } | { kind: 'reduce'; fraction: number };

/** What the strategy sees of one candle: the fill of its own order at the candle's open, then its position. */
export interface ModelStep {
  fill: { fill: StrategyFill; position: RunnerPosition } | undefined;
  /** After the fill and whatever stop-loss or take-profit triggered inside the candle. */
  position: RunnerPosition;
}

/**
 * The positions the engine shows a strategy, without the engine, for runs that only need the strategy's
 * decisions. An order decided on candle i's close fills at candle i + 1's open, where the strategy hears of
 * it (onFill) before it sees that candle; an entry buys its `size` of a nominal quantity of 1, a reduce sells
 * its fraction, an exit the rest. A stop-loss or take-profit (the entry's own, else the strategy's) closes
 * the position inside a candle, the fill candle included, so the strategy already sees it flat there; the
 * engine tells no strategy about those fills, and neither does the model. What the model leaves out is
 * money: no fees, no order refused for want of cash. It depends only on candles already played and
 * decisions already taken, which is what the look-ahead check needs of it.
 */
export class PositionModel {
  private position: RunnerPosition;
  private protection: EntryProtection | undefined;
  private pending: Pending | undefined;

  constructor(private readonly strategyProtection: EntryProtection | undefined) {}

  onCandle(candle: Candle): ModelStep {
    const filled = this.fillPending(candle);
    // The strategy hears of its fill with the position the fill left, before a stop in the same candle.
    const fill = filled === undefined ? undefined : { fill: filled, position: this.position };
    if (this.position !== undefined && this.protectionTriggers(candle, this.position.avgEntry)) this.position = undefined;
    return { fill, position: this.position };
  }

  /** Takes the strategy's answer on the candle just shown; the engine refuses the same orders it does. */
  onResult(result: StrategyResult): void {
    if (result.kind !== 'signal' || this.pending !== undefined) return;
    if (result.action === 'enter') {
      if (this.position === undefined) this.pending = { kind: 'enter', size: result.size ?? 1, protection: this.entryProtection(result) };
    } else if (this.position !== undefined) {
      this.pending = result.action === 'reduce' ? { kind: 'reduce', fraction: result.fraction ?? 1 } : { kind: 'exit' };
    }
  }

  private fillPending(candle: Candle): StrategyFill | undefined {
    const pending = this.pending;
    this.pending = undefined;
    if (pending === undefined) return undefined;
    const fill = (side: 'buy' | 'sell', qty: number): StrategyFill => ({ symbol: candle.symbol, side, qty, price: candle.open, fee: 0, time: candle.time, reason: 'signal' });
    if (pending.kind === 'enter') {
      this.position = { qty: pending.size, avgEntry: candle.open, entryTime: candle.time };
      this.protection = pending.protection;
      return fill('buy', pending.size);
    }
    const held = this.position;
    if (held === undefined) return undefined;
    if (pending.kind === 'exit') {
      this.position = undefined;
      return fill('sell', held.qty);
    }
    this.position = { ...held, qty: held.qty * (1 - pending.fraction) };
    return fill('sell', held.qty * pending.fraction);
  }

  /** An entry may carry its own stop-loss and take-profit, which win over the strategy's. */
  private entryProtection(result: Extract<StrategyResult, { kind: 'signal' }>): EntryProtection | undefined {
    return {
      ...this.strategyProtection,
      ...(result.stopLossPct !== undefined ? { stopLossPct: result.stopLossPct } : {}),
      ...(result.takeProfitPct !== undefined ? { takeProfitPct: result.takeProfitPct } : {}),
    };
  }

  private protectionTriggers(candle: Candle, entry: number): boolean {
    const stopLossPct = this.protection?.stopLossPct ?? 0;
    const takeProfitPct = this.protection?.takeProfitPct ?? 0;
    if (stopLossPct > 0 && candle.low <= entry * (1 - stopLossPct / 100)) return true;
    return takeProfitPct > 0 && candle.high >= entry * (1 + takeProfitPct / 100);
  }
}
