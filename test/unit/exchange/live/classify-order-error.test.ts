import {
  AuthenticationError,
  BadRequest,
  BadResponse,
  BadSymbol,
  DDoSProtection,
  DuplicateOrderId,
  ExchangeError,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  NetworkError,
  OnMaintenance,
  OperationFailed,
  PermissionDenied,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt';
import { classifyCreateError } from '../../../../src/exchange/live/classify-order-error';

describe('classifyCreateError', () => {
  it.each([
    ['a timeout', new RequestTimeout('binance POST https://api.binance.com/api/v3/order request timed out (10000 ms)'), 'unknown'],
    ['a network error', new NetworkError('binance fetch failed'), 'unknown'],
    ['a 5xx', new ExchangeNotAvailable('binance 503 Service Unavailable'), 'unknown'],
    ['maintenance', new OnMaintenance('binance 503 system maintenance'), 'unknown'],
    ['-1000 unknown error', new OperationFailed('binance {"code":-1000,"msg":"An unknown error occured while processing the request."}'), 'unknown'],
    ['an unparsable response', new BadResponse('binance unexpected body'), 'unknown'],
    ['-1007 as a plain ExchangeError', new ExchangeError('binance {"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}'), 'unknown'],
    ['a duplicate client order id', new DuplicateOrderId('duplicate'), 'unknown'],
    ['"Duplicate order sent."', new InvalidOrder('binance {"code":-2010,"msg":"Duplicate order sent."}'), 'unknown'],
    ['a TypeError while parsing', new TypeError("Cannot read properties of undefined (reading 'fills')"), 'unknown'],
    ['-1021 (InvalidNonce)', new InvalidNonce('binance {"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}'), 'timestamp'],
    ['-1021 as a BadRequest', new BadRequest('binance {"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server\'s time."}'), 'timestamp'],
  ])('%s is %s', (_what, error, kind) => {
    expect(classifyCreateError(error).kind).toBe(kind);
  });

  it.each([
    ['a 429', new DDoSProtection('binance 429 Too Many Requests {"code":-1003}'), 'rate-limited'],
    ['a 418 ban', new DDoSProtection("binance 418 I'm a teapot"), 'rate-limited'],
    ['-1015 too many orders', new RateLimitExceeded('binance {"code":-1015,"msg":"Too many new orders."}'), 'rate-limited'],
    ['a filter failure', new InvalidOrder('binance {"code":-1013,"msg":"Filter failure: LOT_SIZE"}'), 'exchange-rejected'],
    ['a bad request', new BadRequest('binance {"code":-1102}'), 'exchange-rejected'],
    ['a bad symbol', new BadSymbol('binance {"code":-1121}'), 'exchange-rejected'],
    ['an unmapped exchange error', new ExchangeError('binance {"code":-9999}'), 'exchange-rejected'],
    ['insufficient funds', new InsufficientFunds('binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}'), 'insufficient-funds'],
    ['a bad key', new AuthenticationError('binance {"code":-2015}'), 'auth-failed'],
    ['no trading permission', new PermissionDenied('binance {"code":-2010,"msg":"This symbol is not permitted for this account."}'), 'auth-failed'],
  ])('%s is a rejection: %s', (_what, error, code) => {
    expect(classifyCreateError(error)).toEqual({ kind: 'rejected', code });
  });
});
