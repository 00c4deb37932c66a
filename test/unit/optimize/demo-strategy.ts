import { defineStrategy, type NumberParamSpec } from '../../../src/strategy/types';

/** A strategy with every kind of parameter, for the optimizer's space tests; it never trades. */
const stepped: NumberParamSpec = { type: 'number', default: 1, min: 0, max: 2, ...{ step: 0.5 } };

export const demo = defineStrategy({
  name: 'demo',
  description: 'Every kind of parameter.',
  params: {
    fast: { type: 'number', default: 10, min: 1, max: 1000, integer: true },
    slow: { type: 'number', default: 30, min: 2, max: 5000, integer: true },
    pct: { type: 'number', default: 1, min: 0, max: 5 },
    free: { type: 'number', default: 7 },
    long: { type: 'boolean', default: true },
    mode: { type: 'string', default: 'a', values: ['a', 'b', 'c'] },
    label: { type: 'string', default: 'x' },
    stepped,
  },
  validate: ({ fast, slow }) => (slow > fast ? undefined : `slow (${slow}) must be greater than fast (${fast})`),
  warmup: () => 1,
  create: () => ({ onCandle: () => ({ action: 'none' }) }),
});
