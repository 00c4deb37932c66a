import crypto from 'node:crypto';
import { BinanceError } from './binance-error';

/** The one API key/secret pair the fake accepts. */
export interface Credentials {
  apiKey: string;
  secret: string;
}

export const DEMO_CREDENTIALS: Credentials = {
  apiKey: 'fake-exchange-demo-api-key',
  secret: 'fake-exchange-demo-secret',
};

export interface SignedRequest {
  /** X-MBX-APIKEY over REST, params.apiKey over the WebSocket API. */
  apiKey: string | undefined;
  /** What the signature covers, the signature itself left out. */
  payload: string;
  signature: string | undefined;
  timestamp: string | undefined;
  recvWindow: string | undefined;
}

const DEFAULT_RECV_WINDOW = 5000;
const MAX_RECV_WINDOW = 60_000;

/**
 * Binance's checks of a SIGNED request, with its error codes: the key (-2014 missing, -2015 unknown), the
 * mandatory timestamp (-1102), the HMAC-SHA256 signature (-1022), then the timestamp against the server's
 * clock: at most 1 s ahead and at most recvWindow (default 5 s) behind (-1021).
 */
export function checkSigned(request: SignedRequest, credentials: Credentials, serverTime: number): void {
  if (request.apiKey === undefined || request.apiKey === '') throw new BinanceError(401, -2014, 'API-key format invalid.');
  if (request.apiKey !== credentials.apiKey) throw new BinanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
  if (request.timestamp === undefined) throw mandatory('timestamp');
  if (request.signature === undefined) throw mandatory('signature');
  const expected = crypto.createHmac('sha256', credentials.secret).update(request.payload).digest('hex');
  if (!sameText(expected, request.signature.toLowerCase())) throw new BinanceError(400, -1022, 'Signature for this request is not valid.');
  const recvWindow = request.recvWindow === undefined ? DEFAULT_RECV_WINDOW : Number(request.recvWindow);
  if (!Number.isFinite(recvWindow) || recvWindow < 0 || recvWindow > MAX_RECV_WINDOW) {
    throw new BinanceError(400, -1131, `recvWindow must be less than ${MAX_RECV_WINDOW}`);
  }
  const timestamp = Number(request.timestamp);
  if (timestamp >= serverTime + 1000) throw new BinanceError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  if (!(serverTime - timestamp <= recvWindow)) throw new BinanceError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
}

/**
 * A REST request's signed payload: Binance signs the query string followed by the body, and the signature
 * may sit in either. Both are used exactly as sent, still URL-encoded.
 */
export function restSignedRequest(rawQuery: string, rawBody: string, apiKey: string | undefined, params: URLSearchParams): SignedRequest {
  return {
    apiKey,
    payload: withoutSignature(rawQuery) + withoutSignature(rawBody),
    signature: params.get('signature') ?? undefined,
    timestamp: params.get('timestamp') ?? undefined,
    recvWindow: params.get('recvWindow') ?? undefined,
  };
}

/** A WebSocket API request's signed payload: its params but the signature, sorted by name, as k=v&k=v. */
export function wsSignedRequest(params: Readonly<Record<string, unknown>>): SignedRequest {
  const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
  const payload = Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${text(params[k]) ?? ''}`)
    .join('&');
  return { apiKey: text(params['apiKey']), payload, signature: text(params['signature']), timestamp: text(params['timestamp']), recvWindow: text(params['recvWindow']) };
}

function withoutSignature(raw: string): string {
  return raw
    .split('&')
    .filter((pair) => pair !== '' && !pair.startsWith('signature='))
    .join('&');
}

function mandatory(name: string): BinanceError {
  return new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
