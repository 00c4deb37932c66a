import { defineStrategy } from '../../src/strategy/types';

/** Trades as often as the rules allow: enters when flat, exits when in a position. For latency benchmarks. */
export default defineStrategy({
  name: 'every-candle',
  description: 'Enter when flat, exit when in a position, on every closed candle.',
  params: {},
  warmup: () => 1,
  create: () => ({
    onCandle: (_candle, context) =>
      context.position ? { action: 'exit', reason: 'in a position' } : { action: 'enter', reason: 'flat' },
  }),
});
