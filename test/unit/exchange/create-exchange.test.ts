import { UserError } from '../../../src/core/errors';
import { createExchange } from '../../../src/exchange/create-exchange';

describe('createExchange', () => {
  it('builds the ccxt exchange of that id for spot markets with the rate limiter on', () => {
    const exchange = createExchange('binance');
    expect(exchange.id).toBe('binance');
    expect(exchange.enableRateLimit).toBe(true);
    expect(exchange.options['defaultType']).toBe('spot');
    expect(exchange.options['fetchMarkets']).toMatchObject({ types: ['spot'] });
    expect((exchange.urls['api'] as Record<string, string>)['public']).toBe('https://api.binance.com/api/v3');
  });

  it('points the REST URLs at the base URL when given, and sets the timeout', () => {
    const exchange = createExchange('kraken', { baseUrl: 'http://127.0.0.1:1234', timeoutMs: 1500 });
    expect(exchange.timeout).toBe(1500);
    expect(JSON.stringify(exchange.urls['api'])).toContain('http://127.0.0.1:1234/');
    expect(JSON.stringify(exchange.urls['api'])).not.toContain('https://api.kraken.com');
  });

  it('refuses an id ccxt does not have, suggesting the closest one', () => {
    expect(() => createExchange('binanse')).toThrow(UserError);
    expect(() => createExchange('binanse')).toThrow(/^exchange "binanse" is not one of the \d+ exchanges ccxt [\d.]+ supports; did you mean binance\?$/);
    // Properties of the ccxt module that are not exchanges are not exchanges either.
    expect(() => createExchange('version')).toThrow(/exchange "version" is not one of/);
  });

  it('refuses a base URL that is not http(s) as a usage error', () => {
    expect(() => createExchange('binance', { baseUrl: 'ftp://x' })).toThrow(UserError);
  });

  it('puts ccxt in sandbox mode before anything else, so the testnet URLs are the ones rewritten', () => {
    const plain = createExchange('binance', { pro: true, sandbox: true });
    expect(plain.isSandboxModeEnabled).toBe(true);
    expect(JSON.stringify(plain.urls['api'])).toContain('testnet.binance.vision');
    const local = createExchange('binance', { pro: true, sandbox: true, baseUrl: 'http://127.0.0.1:1234' });
    const api = local.urls['api'] as { public: string; ws: { spot: string } };
    expect(api.public).toBe('http://127.0.0.1:1234/api/v3');
    expect(api.ws.spot).toBe('ws://127.0.0.1:1234/ws');
  });

  it('gives keys only when asked, and a pro instance for websockets', () => {
    expect(createExchange('binance', { pro: true }).apiKey).toBeFalsy();
    const keyed = createExchange('binance', { pro: true, credentials: { apiKey: 'k', secret: 's' } });
    expect([keyed.apiKey, keyed.secret]).toEqual(['k', 's']);
    expect(keyed.has['watchOrders']).toBe(true);
    expect(createExchange('binance').has['watchOrders']).toBeFalsy();
  });
});
