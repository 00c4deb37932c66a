import { resolveParams } from '../../../src/strategy/resolve-params';
import { StrategyRunner } from '../../../src/strategy/strategy-runner';
import type { ParamSpecs, StrategyDefinition } from '../../../src/strategy/types';
import { candlesFromCloses, checkNoLookAhead, crash, defineStrategy, installMatchers, range, runStrategy, trend, type Candle } from '../../../src/testkit';
import { PositionModel } from '../../../src/testkit/position-model';
import smaCross from '../../../strategies/sma-cross';

installMatchers();

/** Cheats through a closure over the candle array: enters when the next close is higher, exits when lower. */
function peeksAtNextClose(candles: readonly Candle[]) {
  return defineStrategy({
    name: 'peeks-ahead',
    description: 'Reads the next candle from the array it closes over.',
    params: {},
    warmup: () => 1,
    create: () => ({
      onCandle: (candle, { candleCount, position }) => {
        // candleCount counts from 1, so this is the candle after the one being decided on.
        const next = candles[candleCount];
        if (next === undefined) return { action: 'none' };
        if (!position && next.close > candle.close) return { action: 'enter', reason: 'the next close is higher' };
        if (position && next.close < candle.close) return { action: 'exit', reason: 'the next close is lower' };
        return { action: 'none' };
      },
    }),
  });
}

describe('checkNoLookAhead', () => {
  const series = trend({ seed: 5, length: 300, drift: 0.0003, volatility: 0.01 });

  it('catches a strategy that reads the future through the candle array it closes over', async () => {
    const candles = series.map((c) => ({ ...c }));
    const cheat = peeksAtNextClose(candles);
    // It looks brilliant in a backtest, which is why the check matters.
    const run = await runStrategy(cheat, candles, { fee: 0 });
    expect(run.trades.every((t) => t.pnl > 0)).toBe(true);

    const report = checkNoLookAhead(cheat, candles);
    expect(report.ok).toBe(false);
    expect(report.strategy).toBe('peeks-ahead');
    expect(report.cuts).toEqual(Array.from({ length: 50 }, (_, i) => i * 6));
    // The cut's own decision reads the replaced candle after it; a mirrored future flips it every time.
    expect(report.violations).toHaveLength(50);
    for (const v of report.violations) expect(v).toMatchObject({ future: 'altered', index: v.cut, time: candles[v.cut]!.time });
    expect(() => expect(report).toHaveNoLookAhead()).toThrow('50 of 50 cuts changed a decision');
  });

  it('catches it also when the candles are frozen, and puts every candle back as it was', () => {
    const candles = series.map((c) => Object.freeze({ ...c }));
    const snapshot = structuredClone(candles);
    expect(checkNoLookAhead(peeksAtNextClose(candles), candles, { every: 10 }).violations.length).toBe(30);
    expect(candles).toEqual(snapshot);
    const mutable = series.map((c) => ({ ...c }));
    checkNoLookAhead(peeksAtNextClose(mutable), mutable, { every: 10 });
    expect(mutable).toEqual(series);
  });

  it('passes sma-cross on trending, ranging and crashing markets, stop-loss included', () => {
    const markets = [series, range({ seed: 2, length: 300, volatility: 0.01 }), crash({ seed: 3, length: 300, volatility: 0.008 })];
    for (const candles of markets) {
      const report = checkNoLookAhead(smaCross, candles, { params: { fast: 5, slow: 20, stopLossPct: 1 }, every: 3 });
      expect(report).toHaveNoLookAhead();
      expect(report.cuts[0]).toBe(20);
    }
    expect(checkNoLookAhead('sma-cross', series)).toHaveNoLookAhead();
  });

  it('reports a strategy whose decisions differ on the same candles as not deterministic', () => {
    let calls = 0; // shared by every instance: the bug
    const leaky = defineStrategy({
      name: 'leaky',
      description: 'Keeps its counter outside its instances.',
      params: {},
      warmup: () => 1,
      create: () => ({
        onCandle: (_candle, { position }) => {
          calls += 1;
          if (calls % 7 !== 0) return { action: 'none' };
          return position ? { action: 'exit', reason: `call ${calls}` } : { action: 'enter', reason: `call ${calls}` };
        },
      }),
    });
    const report = checkNoLookAhead(leaky, series, { cuts: [100, 200] });
    expect(report.violations.map((v) => v.future)).toContain('removed');
    expect(() => expect(report).toHaveNoLookAhead()).toThrow('it is not deterministic (Math.random, the clock) or shares state between instances');
  });

  it('checks the cuts it is given, and refuses ones without a future', () => {
    expect(checkNoLookAhead(smaCross, series, { cuts: [250, 40, 40] }).cuts).toEqual([40, 250]);
    expect(() => checkNoLookAhead(smaCross, series, { cuts: [299] })).toThrow('cut 299 must be a candle index from 0 to 298');
    expect(checkNoLookAhead(smaCross, candlesFromCloses([1]))).toEqual({ ok: true, strategy: 'sma-cross', candles: 1, cuts: [], violations: [] });
  });
});

/** The ledger averages an entry price it has already divided and multiplied: the last digits may differ. */
const price = (value: number): string => value.toPrecision(12);

/** Records what a strategy is shown: its position on each candle, and each fill with the candle count it came at. */
function recording<S extends ParamSpecs>(definition: StrategyDefinition<S>, seen: { positions: unknown[]; fills: unknown[] }): StrategyDefinition<S> {
  return defineStrategy({
    ...definition,
    name: `recording-${definition.name}`,
    create: (params) => {
      const inner = definition.create(params);
      return {
        onFill: (fill, context) => {
          seen.fills.push([fill.side, fill.price, fill.time, context.candleCount, context.position === undefined ? 'flat' : price(context.position.avgEntry)]);
          inner.onFill?.(fill, context);
        },
        onCandle: (candle, context) => {
          seen.positions.push(context.position === undefined ? 'flat' : [price(context.position.avgEntry), context.position.entryTime]);
          return inner.onCandle(candle, context);
        },
      };
    },
  });
}

/** The look-ahead check's replay loop, recorded the same way. */
function replayInModel(definition: StrategyDefinition, params: Record<string, unknown>, candles: readonly Candle[]): { positions: unknown[]; fills: unknown[] } {
  const seen = { positions: [] as unknown[], fills: [] as unknown[] };
  const recorder = recording(definition, seen);
  const runner = new StrategyRunner(recorder, resolveParams(recorder, params));
  const model = new PositionModel(runner.protection);
  for (const candle of candles) {
    const { position, fill } = model.onCandle(candle);
    if (fill) runner.onFill(fill.fill, undefined, fill.position);
    model.onResult(runner.onCandle(candle, position));
  }
  return seen;
}

/** Half-size entries with their own stop, a partial exit on a 2 % gain, the rest on a 1 % fall; counts its fills. */
const scalesOut = defineStrategy({
  name: 'scales-out',
  description: 'Uses every intent of the contract.',
  params: {},
  warmup: () => 2,
  create: () => {
    let previous = Number.NaN;
    let sells = 0;
    return {
      onFill: (fill) => {
        sells = fill.side === 'buy' ? 0 : sells + 1;
      },
      onCandle: (candle, { position }) => {
        const before = previous;
        previous = candle.close;
        if (!position && candle.close > before * 1.005) return { action: 'enter', reason: 'up 0.5 %', size: 0.5, stopLossPct: 3 };
        if (position && sells === 0 && candle.close > position.avgEntry * 1.02) return { action: 'reduce', reason: 'up 2 %', fraction: 0.5 };
        if (position && candle.close < before * 0.99) return { action: 'exit', reason: 'down 1 %' };
        return { action: 'none' };
      },
    };
  },
});

describe('the positions and fills the look-ahead runs show a strategy', () => {
  it('are the ones the engine shows it: stop-losses included', async () => {
    const candles = crash({ seed: 9, length: 400, volatility: 0.01, at: 250, dropPct: 25 });
    const params = { fast: 3, slow: 10, stopLossPct: 1.5 };
    const engine = { positions: [] as unknown[], fills: [] as unknown[] };
    const run = await runStrategy(recording(smaCross, engine), candles, { params, fee: 0 });
    expect(run.trades.filter((t) => t.exitReason === 'stop-loss').length).toBeGreaterThan(3);
    expect(run.trades.filter((t) => t.exitReason === 'signal').length).toBeGreaterThan(3);
    const model = replayInModel(smaCross, params, candles);
    expect(model.positions).toEqual(engine.positions);
    expect(model.fills).toEqual(engine.fills);
  });

  it('are the ones the engine shows it: sizes, reduces, the own stop of an entry and onFill included', async () => {
    const candles = range({ seed: 4, length: 400, volatility: 0.012 });
    const engine = { positions: [] as unknown[], fills: [] as unknown[] };
    const run = await runStrategy(recording(scalesOut, engine), candles, { fee: 0 });
    const actions = new Set(run.signals.map((s) => s.action));
    expect([...actions].sort()).toEqual(['enter', 'exit', 'reduce']);
    expect(run.signals.find((s) => s.action === 'enter')).toMatchObject({ size: 0.5, stopLossPct: 3 });
    expect(run.signals.find((s) => s.action === 'reduce')).toMatchObject({ fraction: 0.5 });
    expect(run.trades.some((t) => t.exitReason === 'stop-loss')).toBe(true);
    const model = replayInModel(scalesOut, {}, candles);
    expect(model.positions).toEqual(engine.positions);
    expect(model.fills).toEqual(engine.fills);
    expect(checkNoLookAhead(scalesOut, candles, { every: 5 })).toHaveNoLookAhead();
  });
});
