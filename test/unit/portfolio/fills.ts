import type { Fill } from '../../../src/execution/types';

let sequence = 0;

/** A fill with plausible defaults; tests spell out only what they are about. */
export function fill(overrides: Partial<Fill> & Pick<Fill, 'side' | 'qty' | 'price'>): Fill {
  sequence++;
  return {
    clientOrderId: `test-${sequence}`,
    symbol: 'BTC/USDT',
    fee: 0,
    liquidity: 'taker',
    reason: 'signal',
    time: 0,
    ...overrides,
  };
}
