import { createOrderIds } from '../../../src/execution/order-ids';

describe('createOrderIds', () => {
  it('numbers ids from 1 under the prefix', () => {
    const next = createOrderIds('paper');
    expect([next(), next(), next()]).toEqual(['paper-1', 'paper-2', 'paper-3']);
  });

  it('gives each generator its own sequence, so a new run starts again at 1', () => {
    const first = createOrderIds('bt');
    first();
    first();
    const second = createOrderIds('bt');
    expect(second()).toBe('bt-1');
    expect(first()).toBe('bt-3');
  });

  it('rejects an empty prefix', () => {
    expect(() => createOrderIds('')).toThrow('order id prefix must not be empty');
  });
});
