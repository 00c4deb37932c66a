import type { Bus } from '../bus/bus';
import type { Candle } from '../market/types';
import type { StrategyFailure, StrategyRun, StrategySignal } from './run-types';

/** Collects what the engine says on the bus during one run. */
export class RunRecorder {
  readonly signals: StrategySignal[] = [];
  readonly orders: StrategyRun['orders'] = [];
  readonly fills: StrategyRun['fills'] = [];
  readonly denials: StrategyRun['denials'] = [];
  failure: StrategyFailure | undefined;
  private readonly indexOfTime: Map<number, number>;
  private lastCandle = { index: -1, time: Number.NaN };

  constructor(candles: readonly Candle[]) {
    this.indexOfTime = new Map(candles.map((c, i) => [c.time, i]));
  }

  listen(bus: Bus): void {
    // The strategy runs on market.candles too; subscribed before any agent starts, this sees each period
    // first (the test kit plays one symbol: one candle a period).
    bus.subscribe('testkit', 'market.candles', ({ payload }) => {
      this.lastCandle = { index: this.indexOf(payload.time), time: payload.time };
    });
    bus.subscribe('testkit', 'signal.emitted', ({ payload }) => {
      this.signals.push({
        index: this.indexOf(payload.candleTime),
        time: payload.candleTime,
        action: payload.action,
        reason: payload.reason,
        strategy: payload.strategy,
        strength: payload.strength,
        price: payload.price,
        ...(payload.stopLossPct !== undefined && { stopLossPct: payload.stopLossPct }),
        ...(payload.takeProfitPct !== undefined && { takeProfitPct: payload.takeProfitPct }),
        ...(payload.size !== undefined && { size: payload.size }),
        ...(payload.fraction !== undefined && { fraction: payload.fraction }),
      });
    });
    bus.subscribe('testkit', 'order.submitted', ({ payload }) => void this.orders.push(payload.order));
    bus.subscribe('testkit', 'order.filled', ({ payload }) => void this.fills.push(payload.fill));
    bus.subscribe('testkit', 'order.denied', ({ payload }) => void this.denials.push(payload));
    bus.subscribe('testkit', 'strategy.disabled', ({ payload }) => {
      this.failure ??= { ...this.lastCandle, error: payload.error };
    });
  }

  private indexOf(time: number): number {
    return this.indexOfTime.get(time) ?? -1;
  }
}
