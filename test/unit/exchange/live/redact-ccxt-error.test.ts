import { RequestTimeout } from 'ccxt';
import { redactCcxtError, redactError, redactText } from '../../../../src/exchange/live/redact-ccxt-error';
import { RetriesExhausted } from '../../../../src/exchange/with-retries';

const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

describe('redactCcxtError', () => {
  it('removes the signature from a signed URL in a ccxt timeout', () => {
    const err = new RequestTimeout(
      'binance GET https://api.binance.com/api/v3/order?symbol=BTCUSDT&origClientOrderId=at-1&timestamp=1704067200000&recvWindow=10000&signature=3c8f1a2b9e request timed out (10000 ms)',
    );
    const text = redactCcxtError(err, [API_KEY, SECRET]);
    expect(text).toBe(
      'RequestTimeout: binance GET https://api.binance.com/api/v3/order?symbol=BTCUSDT&origClientOrderId=at-1&timestamp=1704067200000&recvWindow=10000&signature=<redacted> request timed out (10000 ms)',
    );
  });

  it('removes X-MBX-APIKEY header values, in JSON or header form', () => {
    expect(redactText(`headers {"X-MBX-APIKEY":"abcd1234","Content-Type":"x"}`)).toBe(`headers {"X-MBX-APIKEY":"<redacted>","Content-Type":"x"}`);
    expect(redactText('X-MBX-APIKEY: abcd1234\nHost: x')).toBe('X-MBX-APIKEY: <redacted>\nHost: x');
  });

  it('removes any literal secret, raw or URL-encoded, wherever it appears', () => {
    const secret = 'p@ss/word+1';
    const text = redactText(`key ${API_KEY} in body, ${SECRET} too, and ${encodeURIComponent(secret)} and ${secret}`, [API_KEY, SECRET, secret, undefined, '']);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(text).toBe('key <redacted> in body, <redacted> too, and <redacted> and <redacted>');
  });

  it('removes listen keys from user-stream URLs and apiKey/secret fields', () => {
    const listenKey = 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1';
    expect(redactText(`connection closed wss://stream.binance.com:9443/ws/${listenKey}`)).toBe('connection closed wss://stream.binance.com:9443/ws/<redacted>');
    expect(redactText(`{"apiKey":"abc","secret":"def"}`)).toBe('{"apiKey":"<redacted>","secret":"<redacted>"}');
  });

  it('handles what is not an Error', () => {
    expect(redactCcxtError(`signature=abc`)).toBe('signature=<redacted>');
  });
});

describe('redactError', () => {
  it('keeps a ccxt error\'s class and name, with the message and stack redacted', () => {
    const copy = redactError(new RequestTimeout('GET https://x/api?signature=abc timed out'), []);
    expect(copy).toBeInstanceOf(RequestTimeout);
    expect(copy.name).toBe('RequestTimeout');
    expect(copy.message).toBe('GET https://x/api?signature=<redacted> timed out');
    expect(copy.stack).not.toContain('abc');
  });

  it('turns any other error into an Error of the same name', () => {
    const original = new RetriesExhausted(new RequestTimeout('signature=abc'), 3, 'gave up after 3 attempts');
    const copy = redactError(original, []);
    expect(copy.name).toBe('RetriesExhausted');
    expect(copy.message).toBe('gave up after 3 attempts: RequestTimeout: signature=<redacted>');
  });
});
