import { StrategyRunner } from '../../../src/strategy/strategy-runner';
import { defineStrategy, type Intent, type StrategyContext, type StrategyDefinition } from '../../../src/strategy/types';
import { candlesFromCloses } from './candles';

const CLOSES = Array.from({ length: 8 }, (_, i) => 100 + i);

/** A strategy that answers `answer` on every candle and records what it was shown. */
function scripted(answer: (context: StrategyContext) => unknown, warmup = 3) {
  const seen: StrategyContext[] = [];
  let created = 0;
  const definition = defineStrategy({
    name: 'scripted',
    description: 'Test strategy with a scripted answer.',
    params: {},
    warmup: () => warmup,
    create: () => {
      created += 1;
      return {
        onCandle: (_candle, context) => {
          seen.push(context);
          return answer(context) as Intent;
        },
      };
    },
  });
  return { definition, seen, created: () => created };
}

function run(runner: StrategyRunner, closes: readonly number[], symbol = 'BTC/USDT') {
  return candlesFromCloses(closes, symbol).map((candle) => runner.onCandle(candle, undefined));
}

describe('StrategyRunner', () => {
  it('gives no signal before the warm-up even when the strategy signals, and signals from the warm-up on', () => {
    const { definition, seen } = scripted(() => ({ action: 'enter', reason: 'always' }), 3);
    const results = run(new StrategyRunner(definition, {}), CLOSES.slice(0, 4));
    expect(results.map((r) => r.kind)).toEqual(['warming-up', 'warming-up', 'signal', 'signal']);
    // The strategy still saw the warm-up candles: its indicators need them.
    expect(seen.map((c) => c.candleCount)).toEqual([1, 2, 3, 4]);
  });

  it('counts the warm-up of each symbol separately, with one instance per symbol created on its first candle', () => {
    const { definition, seen, created } = scripted(() => ({ action: 'exit', reason: 'always' }), 2);
    const runner = new StrategyRunner(definition, {});
    expect(created()).toBe(0);
    const [btc1, btc2] = candlesFromCloses([1, 2], 'BTC/USDT');
    const [eth1, eth2] = candlesFromCloses([1, 2], 'ETH/USDT');
    const results = [btc1, eth1, btc2, eth2].map((candle) => runner.onCandle(candle!, undefined));
    expect(results.map((r) => r.kind)).toEqual(['warming-up', 'warming-up', 'signal', 'signal']);
    expect(created()).toBe(2);
    expect(seen.map((c) => `${c.symbol}#${c.candleCount}`)).toEqual(['BTC/USDT#1', 'ETH/USDT#1', 'BTC/USDT#2', 'ETH/USDT#2']);
  });

  it('passes the signal with its reason and a default strength of 1', () => {
    const { definition } = scripted(() => ({ action: 'enter', reason: 'RSI 31.2 crossed above 30' }), 1);
    expect(run(new StrategyRunner(definition, {}), [1])).toEqual([
      { kind: 'signal', action: 'enter', reason: 'RSI 31.2 crossed above 30', strength: 1 },
    ]);
  });

  it.each([
    [0.25, 0.25],
    [1.7, 1],
    [-0.2, 0],
  ])('clamps a strength of %d to %d', (given, expected) => {
    const { definition } = scripted(() => ({ action: 'enter', reason: 'r', strength: given }), 1);
    expect(run(new StrategyRunner(definition, {}), [1])).toEqual([{ kind: 'signal', action: 'enter', reason: 'r', strength: expected }]);
  });

  it('gives the strategy the position without the portfolio-only fields', () => {
    const { definition, seen } = scripted(() => ({ action: 'none' }), 1);
    const position = { symbol: 'BTC/USDT', qty: 2, avgEntry: 100, entryTime: 5, lastPrice: 110, unrealizedPnl: 20, entryFees: 0.2 };
    const [candle] = candlesFromCloses([110]);
    new StrategyRunner(definition, {}).onCandle(candle!, position);
    expect(seen[0]?.position).toEqual({ qty: 2, avgEntry: 100, entryTime: 5 });
  });

  it('hands create() the params it was given, frozen', () => {
    let received: unknown;
    const definition = defineStrategy({
      name: 'reads-params',
      description: 'Test strategy keeping its params.',
      params: { period: { type: 'number', default: 14 } },
      warmup: () => 1,
      create: (params) => {
        received = params;
        return { onCandle: () => ({ action: 'none' }) };
      },
    });
    run(new StrategyRunner(definition as StrategyDefinition, { period: 20 } as never), [1]);
    expect(received).toEqual({ period: 20 });
    expect(Object.isFrozen(received)).toBe(true);
  });

  it('disables a strategy whose onCandle() throws, reports it once, and stops calling it on every symbol', () => {
    const { definition, seen } = scripted((context) => {
      if (context.candleCount === 2) throw new Error('division by zero');
      return { action: 'enter', reason: 'r' };
    }, 1);
    const runner = new StrategyRunner(definition, {});
    const btc = candlesFromCloses([1, 2, 3, 4], 'BTC/USDT');
    const eth = candlesFromCloses([1, 2], 'ETH/USDT');
    const results = [btc[0], btc[1], btc[2], eth[0], btc[3], eth[1]].map((candle) => runner.onCandle(candle!, undefined));
    expect(results).toEqual([
      { kind: 'signal', action: 'enter', reason: 'r', strength: 1 },
      { kind: 'failed', error: 'onCandle() threw on BTC/USDT: division by zero' },
      { kind: 'none' },
      { kind: 'none' },
      { kind: 'none' },
      { kind: 'none' },
    ]);
    expect(runner.disabled).toBe(true);
    expect(runner.error).toBe('onCandle() threw on BTC/USDT: division by zero');
    expect(seen).toHaveLength(2);
  });

  it('disables a strategy whose create() throws', () => {
    const definition = defineStrategy({
      name: 'bad-create',
      description: 'Test strategy whose factory throws.',
      params: {},
      warmup: () => 1,
      create: () => {
        throw new Error('no such indicator');
      },
    });
    const runner = new StrategyRunner(definition, {});
    expect(run(runner, [1, 2])).toEqual([{ kind: 'failed', error: 'create() threw for BTC/USDT: no such indicator' }, { kind: 'none' }]);
    expect(runner.disabled).toBe(true);
  });

  it('disables a strategy whose create() returns no onCandle()', () => {
    const definition = defineStrategy({
      name: 'bad-instance',
      description: 'Test strategy whose factory returns nonsense.',
      params: {},
      warmup: () => 1,
      create: () => ({}) as never,
    });
    expect(run(new StrategyRunner(definition, {}), [1])).toEqual([
      { kind: 'failed', error: 'create() for BTC/USDT returned {}, not an object with an onCandle() function' },
    ]);
  });

  it.each([
    ['undefined', undefined, 'undefined is not an intent object'],
    ['a string', 'enter', '"enter" is not an intent object'],
    ['an unknown action', { action: 'buy', reason: 'r' }, 'action "buy" is not "enter", "exit", "reduce" or "none"'],
    ['an enter without reason', { action: 'enter' }, 'an enter needs a non-empty reason, got undefined'],
    ['an exit with a blank reason', { action: 'exit', reason: ' ' }, 'an exit needs a non-empty reason, got " "'],
    ['a strength that is not a number', { action: 'enter', reason: 'r', strength: 'high' }, 'strength "high" is not a number'],
    ['a NaN strength', { action: 'enter', reason: 'r', strength: Number.NaN }, 'strength NaN is not a number'],
  ])('disables a strategy that returns %s', (_case, intent, problem) => {
    const { definition } = scripted(() => intent, 5);
    const runner = new StrategyRunner(definition, {});
    // Checked during the warm-up too: a broken answer is a bug whenever it comes.
    expect(run(runner, [1, 2])).toEqual([
      { kind: 'failed', error: `onCandle() on BTC/USDT returned an invalid intent: ${problem}` },
      { kind: 'none' },
    ]);
    expect(runner.disabled).toBe(true);
  });

  it.each([
    ['throws', () => { throw new Error('bad period'); }, 'warmup() threw: bad period'],
    ['returns a fraction', () => 2.5, 'warmup() returned 2.5, not a whole number of candles'],
    ['returns a negative number', () => -1, 'warmup() returned -1, not a whole number of candles'],
  ])('reports on the first candle a strategy whose warmup() %s', (_case, warmup, error) => {
    const { definition, seen } = scripted(() => ({ action: 'enter', reason: 'r' }));
    const runner = new StrategyRunner({ ...definition, warmup }, {});
    expect(runner.disabled).toBe(true);
    expect(run(runner, [1, 2])).toEqual([{ kind: 'failed', error }, { kind: 'none' }]);
    expect(seen).toHaveLength(0);
  });

  it('takes its name from the definition and is enabled until something breaks', () => {
    const { definition } = scripted(() => ({ action: 'none' }));
    const runner = new StrategyRunner(definition, {});
    run(runner, CLOSES);
    expect(runner.name).toBe('scripted');
    expect(runner.disabled).toBe(false);
    expect(runner.error).toBeUndefined();
  });
});
