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
});
