import type { Fill } from '../../../src/execution/types';
import type { Candle } from '../../../src/market/types';
import { SignalPipeline, type PipelineSettings } from '../../../src/strategy/signal-pipeline';
import type { Signal } from '../../../src/strategy/signal';
import { StrategyRunner } from '../../../src/strategy/strategy-runner';
import { defineStrategy, type EntryProtection, type Intent } from '../../../src/strategy/types';
import { positionView } from '../../helpers/books';
import { candlesFromCloses } from './candles';

const MINUTE = 60_000;
const ANY: PipelineSettings = { combine: 'any', threshold: 0.5, weights: {}, cooldownCandles: 0, periodMs: MINUTE };

/** A strategy answering `intents[candleCount - 1]` (none past the end), with `warmup` and `protection`. */
function runner(name: string, intents: Array<Intent | undefined>, options: { warmup?: number; protection?: EntryProtection; onFill?: (fill: unknown) => void } = {}) {
  const definition = defineStrategy({
    name,
    description: `Test strategy ${name}.`,
    params: {},
    warmup: () => options.warmup ?? 0,
    ...(options.protection ? { protection: () => options.protection! } : {}),
    create: () => ({
      onCandle: (_candle, { candleCount }) => intents[candleCount - 1] ?? { action: 'none' },
      ...(options.onFill ? { onFill: options.onFill } : {}),
    }),
  });
  return new StrategyRunner(definition, {});
}

function pipelineWith(settings: PipelineSettings, runners: StrategyRunner[]) {
  const out: string[] = [];
  const pipeline = new SignalPipeline(settings, {
    signal: (s) => out.push(`signal ${s.action} ${s.strategy}: ${s.reason}${s.stopLossPct !== undefined ? ` sl ${s.stopLossPct}` : ''}${s.takeProfitPct !== undefined ? ` tp ${s.takeProfitPct}` : ''}`),
    rejected: (_candle, strategy, action, reason, detail) => out.push(`rejected ${action} ${strategy} [${reason}] ${detail}`),
    failed: (strategy, error) => out.push(`failed ${strategy}: ${error}`),
  });
  pipeline.use(runners);
  return { pipeline, out };
}

const enter = (reason: string, fields: Partial<Intent> = {}): Intent => ({ action: 'enter', reason, ...fields }) as Intent;
const exit = (reason: string): Intent => ({ action: 'exit', reason });

describe('SignalPipeline', () => {
  const candles: Candle[] = candlesFromCloses([100, 101, 102, 103, 104]);

  it('sends one strategy\'s signal on, with its levels: the entry\'s own before the strategy\'s', () => {
    const { pipeline, out } = pipelineWith(ANY, [runner('a', [enter('go', { stopLossPct: 3 })], { protection: { stopLossPct: 1, takeProfitPct: 6 } })]);
    pipeline.onCandle(candles[0]!, undefined);
    expect(out).toEqual(['signal enter a: go sl 3 tp 6']);
  });

  it('settles each exit level on its own: the entry\'s ladder, the strategy\'s trailing stop and ROI table', () => {
    const signals: Signal[] = [];
    const pipeline = new SignalPipeline(ANY, { signal: (s) => signals.push(s), rejected: () => undefined, failed: () => undefined });
    const tiers = [{ atPct: 2, sellPct: 50, moveStopTo: 'breakeven' as const }];
    pipeline.use([
      runner('a', [enter('go', { takeProfitTiers: tiers, stopLossPct: 4 })], {
        protection: { stopLossPct: 1, takeProfitTiers: [{ atPct: 9, sellPct: 10 }], trailingStopPct: 2, trailingActivationPct: 1, roi: { '0': 5 } },
      }),
    ]);
    pipeline.onCandle(candles[0]!, undefined);
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ stopLossPct: 4, takeProfitTiers: tiers, trailingStopPct: 2, trailingActivationPct: 1, roi: { '0': 5 } });
    expect(signals[0]!.takeProfitPct).toBeUndefined();
  });

  it('rejects a signal during the warm-up, and one on the wrong side of the position', () => {
    const { pipeline, out } = pipelineWith(ANY, [runner('a', [enter('early'), exit('nothing held'), enter('held')], { warmup: 2 })]);
    pipeline.onCandle(candles[0]!, undefined);
    pipeline.onCandle(candles[1]!, undefined);
    pipeline.onCandle(candles[2]!, positionView('BTC/USDT'));
    expect(out).toEqual([
      'rejected enter a [warm-up] a is still warming up (2 candles)',
      'rejected exit a [aggregation] no position is open: there is nothing to sell',
      'rejected enter a [aggregation] a position is open: exits decide',
    ]);
  });

  it('needs a majority of the running strategies under the majority rule', () => {
    const { pipeline, out } = pipelineWith({ ...ANY, combine: 'majority' }, [runner('a', [enter('a1'), enter('a2')]), runner('b', [undefined, enter('b2')]), runner('c', [])]);
    pipeline.onCandle(candles[0]!, undefined);
    pipeline.onCandle(candles[1]!, undefined);
    expect(out).toEqual([
      'rejected enter a [aggregation] 1 of 3 strategies agree, not a majority',
      "rejected enter b [aggregation] merged into a's signal",
      'signal enter a: a2 (with b)',
    ]);
  });

  it('refuses entries for cooldownCandles after an exit, from the exit fill\'s time', () => {
    const { pipeline, out } = pipelineWith({ ...ANY, cooldownCandles: 2 }, [runner('a', [undefined, enter('too soon'), undefined, enter('again')])]);
    const exitFill: Fill = { clientOrderId: 'x', symbol: 'BTC/USDT', side: 'sell', qty: 1, price: 100, fee: 0, liquidity: 'taker', reason: 'signal', time: candles[0]!.time };
    pipeline.onCandle(candles[0]!, undefined);
    pipeline.positionChanged(exitFill, 'a', undefined);
    pipeline.onCandle(candles[1]!, undefined);
    pipeline.onCandle(candles[2]!, undefined);
    pipeline.onCandle(candles[3]!, undefined);
    expect(out).toEqual(['rejected enter a [cooldown] BTC/USDT was exited less than 2 candles ago', 'signal enter a: again']);
  });

  it('tells a strategy of its own fills, and reports a strategy whose hook throws', () => {
    const fills: unknown[] = [];
    const { pipeline, out } = pipelineWith(ANY, [
      runner('a', [], { onFill: (fill) => fills.push(fill) }),
      runner('b', [], {
        onFill: () => {
          throw new Error('boom');
        },
      }),
    ]);
    pipeline.onCandle(candles[0]!, undefined);
    const fill: Fill = { clientOrderId: 'x', symbol: 'BTC/USDT', side: 'buy', qty: 1, price: 100, fee: 0.1, liquidity: 'taker', reason: 'signal', time: 1 };
    pipeline.positionChanged(fill, 'a', positionView('BTC/USDT'));
    pipeline.positionChanged(fill, 'risk', positionView('BTC/USDT'));
    pipeline.positionChanged(fill, 'b', positionView('BTC/USDT'));
    expect(fills).toEqual([{ symbol: 'BTC/USDT', side: 'buy', qty: 1, price: 100, fee: 0.1, time: 1, reason: 'signal' }]);
    expect(out).toEqual(['failed b: onFill() threw on BTC/USDT: boom']);
  });

  it('votes with a reloaded strategy in place of the old one', () => {
    const { pipeline, out } = pipelineWith(ANY, [runner('a', [])]);
    expect(pipeline.replace(runner('a', [enter('new version')]))).toBe(true);
    expect(pipeline.replace(runner('z', []))).toBe(false);
    pipeline.onCandle(candles[0]!, undefined);
    expect(out).toEqual(['signal enter a: new version']);
  });
});
