import { pro } from 'ccxt';
import type { LiveExchange } from '../../../../src/exchange/live/types';

describe('LiveExchange', () => {
  it('is satisfied by the real ccxt.pro binance, user stream included', () => {
    // The assignment is the test that counts: tsc fails here if ccxt's signatures drift from ours.
    const exchange: LiveExchange = new pro.binance({});
    expect(exchange.has?.['watchOrders']).toBe(true);
    expect(typeof exchange.watchOrders).toBe('function');
    expect(typeof exchange.loadTimeDifference).toBe('function');
    expect(exchange.options?.['recvWindow']).toBe(10_000);
  });
});
