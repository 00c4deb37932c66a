import { AuthenticationError, DuplicateOrderId, ExchangeError, InsufficientFunds, OperationFailed } from 'ccxt';
import { isTimestampError } from './exchange-access';
import { isRateLimit } from './request-gate';
import type { LiveDenialCode } from './types';

/**
 * What a failed createOrder tells about the order:
 * - `rejected`: the exchange answered, and the answer is "not placed" (or ccxt refused before sending).
 * - `timestamp`: Binance -1021, the request's timestamp fell outside recvWindow. Checked by the API server
 *   before the order reaches the matching engine, so it is a rejection too, one a time resync cures.
 * - `unknown`: the request may have reached the matching engine; only a query by client order id can tell.
 */
export type CreateErrorKind =
  | { kind: 'rejected'; code: LiveDenialCode }
  | { kind: 'timestamp' }
  | { kind: 'unknown' };

// Binance -1006/-1007 ("execution status unknown") are mapped differently per API section in ccxt (to
// BadResponse, RequestTimeout, OperationFailed or plain ExchangeError): the text decides, whatever the class.
const STATUS_UNKNOWN = /status unknown|"code":\s*-100[67]\b/i;
// An order with this client id already exists: an earlier send did reach the exchange.
const DUPLICATE = /duplicate order|DuplicateOrderId/i;

/**
 * Sorting of ccxt's error hierarchy (base/errorHierarchy.js) for createOrder. Order matters:
 *
 * 1. Rate limits first: ccxt's DDoSProtection and RateLimitExceeded sit under NetworkError, but on Binance
 *    they are HTTP 429/418 (request-weight or order-count limits, or an IP ban) or -1003/-1015, all answered
 *    by the API front end before the matching engine sees the order: a definite "not placed". Same for a
 *    WAF/anti-DDoS page, which ccxt also maps to DDoSProtection. (-1008 "server busy" is OperationFailed in
 *    spot and lands in `unknown`, the safe side.)
 * 2. Timestamp (-1021, ccxt InvalidNonce, also under NetworkError).
 * 3. The rest of OperationFailed (NetworkError, RequestTimeout, ExchangeNotAvailable i.e. 5xx, BadResponse,
 *    -1000 "unknown error", -1001, -1006, -1007): unknown. Binance's docs say so of 5xx explicitly: the
 *    request may have been executed.
 * 4. ExchangeError (InvalidOrder, InsufficientFunds, BadRequest, BadSymbol, AuthenticationError,
 *    PermissionDenied, OperationRejected, NotSupported, ArgumentsRequired...): the exchange, or ccxt before
 *    sending, said no. Except DuplicateOrderId and "status unknown" texts, which mean it may be there.
 * 5. Anything else (a TypeError while ccxt parses a response...) might have come after the order was
 *    placed: unknown.
 */
export function classifyCreateError(err: unknown): CreateErrorKind {
  const text = err instanceof Error ? err.message : String(err);
  if (isRateLimit(err)) return { kind: 'rejected', code: 'rate-limited' };
  if (isTimestampError(err)) return { kind: 'timestamp' };
  if (STATUS_UNKNOWN.test(text) || err instanceof DuplicateOrderId || DUPLICATE.test(text)) return { kind: 'unknown' };
  if (err instanceof OperationFailed) return { kind: 'unknown' };
  if (err instanceof InsufficientFunds) return { kind: 'rejected', code: 'insufficient-funds' };
  if (err instanceof AuthenticationError) return { kind: 'rejected', code: 'auth-failed' };
  if (err instanceof ExchangeError) return { kind: 'rejected', code: 'exchange-rejected' };
  return { kind: 'unknown' };
}
