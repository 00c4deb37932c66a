import path from 'node:path';
import { loadStrategy } from '../../../src/strategy/load-strategy';
import { resolveParams } from '../../../src/strategy/resolve-params';

const SHIPPED = path.resolve(__dirname, '../../../strategies');
const BUNDLED = ['bollinger-reversion', 'ema-crossover', 'donchian-atr', 'consensus', 'ml-logistic'];

describe.each(BUNDLED)('%s', (name) => {
  const definition = loadStrategy(name, SHIPPED);

  it('loads by its file name as --strategy does', () => {
    expect(definition.name).toBe(name);
    expect(definition.description).not.toBe('');
  });

  it('describes every parameter and accepts its own defaults', () => {
    for (const [param, spec] of Object.entries(definition.params)) {
      expect([param, spec.description ?? '']).toEqual([param, expect.stringMatching(/\S/)]);
    }
    const defaults = resolveParams(definition, {});
    expect(Number.isInteger(definition.warmup(defaults))).toBe(true);
    expect(definition.warmup(defaults)).toBeGreaterThan(1);
  });
});
