import ccxt from 'ccxt';
import { pointCcxtAt } from '../../../src/exchange/point-ccxt-at';

describe('pointCcxtAt', () => {
  it('sends every REST URL of a ccxt binance to the base URL, keeping each path', () => {
    const exchange = new ccxt.binance();
    const before = exchange.urls['api'] as Record<string, string>;
    pointCcxtAt(exchange, 'http://127.0.0.1:8080/');
    const after = exchange.urls['api'] as Record<string, string>;
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(after['public']).toBe('http://127.0.0.1:8080/api/v3');
    expect(after['v1']).toBe('http://127.0.0.1:8080/api/v1');
    expect(after['sapi']).toBe('http://127.0.0.1:8080/sapi/v1');
    expect(after['fapiPublic']).toBe('http://127.0.0.1:8080/fapi/v1');
    for (const [key, url] of Object.entries(after)) {
      expect(url).toBe(before[key]!.replace(/^https:\/\/[^/]+/, 'http://127.0.0.1:8080'));
    }
  });

  it('leaves other instances of the same exchange alone', () => {
    const pointed = new ccxt.binance();
    pointCcxtAt(pointed, 'http://127.0.0.1:1');
    expect((new ccxt.binance().urls['api'] as Record<string, string>)['public']).toBe('https://api.binance.com/api/v3');
  });

  it('rewrites nested maps, a lone string and {hostname} templates, and keeps WebSocket URLs', () => {
    const exchange = {
      urls: {
        www: 'https://example.com',
        api: { rest: { spot: 'https://api.{hostname}/v5', futures: 'https://futures.{hostname}' }, ws: 'wss://stream.example.com/ws' },
      },
    };
    pointCcxtAt(exchange, 'http://127.0.0.1:9000/prefix');
    expect(exchange.urls.api).toEqual({
      rest: { spot: 'http://127.0.0.1:9000/prefix/v5', futures: 'http://127.0.0.1:9000/prefix' },
      ws: 'wss://stream.example.com/ws',
    });
    expect(exchange.urls.www).toBe('https://example.com');
    const single = { urls: { api: 'https://api.kraken.com' } as unknown };
    pointCcxtAt(single as { urls: Record<string, unknown> }, 'http://localhost:1');
    expect((single.urls as { api: string }).api).toBe('http://localhost:1');
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => pointCcxtAt(new ccxt.binance(), 'localhost:8080')).toThrow(/not an http\(s\) URL/);
  });
});
