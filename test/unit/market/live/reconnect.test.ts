import { BadSymbol, DDoSProtection, ExchangeClosedByUser, NetworkError, NotSupported, OperationFailed, RequestTimeout } from 'ccxt';
import { RetriesExhausted } from '../../../../src/exchange/with-retries';
import { judgeError, reconnectDelay } from '../../../../src/market/live/reconnect';

describe('reconnectDelay', () => {
  it('doubles from the base up to the cap', () => {
    const policy = { baseMs: 500, capMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => reconnectDelay(n, policy))).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('judgeError', () => {
  it('retries network trouble, ends quietly on close, and gives up on what will fail again', () => {
    expect(judgeError(new NetworkError('x'))).toBe('retry');
    expect(judgeError(new RequestTimeout('x'))).toBe('retry');
    expect(judgeError(new OperationFailed('x'))).toBe('retry');
    expect(judgeError(new RetriesExhausted(new NetworkError('x'), 6, 'gave up'))).toBe('retry');
    expect(judgeError(new ExchangeClosedByUser('x'))).toBe('closed');
    expect(judgeError(new BadSymbol('x'))).toBe('fatal');
    expect(judgeError(new NotSupported('x'))).toBe('fatal');
    expect(judgeError(new RetriesExhausted(new DDoSProtection('418'), 1, 'banned'))).toBe('fatal');
    expect(judgeError(new TypeError('x'))).toBe('fatal');
  });
});
