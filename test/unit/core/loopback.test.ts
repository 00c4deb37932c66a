import { isLoopbackHost, loopbackHostOf } from '../../../src/core/loopback';

describe('isLoopbackHost', () => {
  it('knows localhost, ::1 and 127.x.x.x, and nothing else', () => {
    expect(['localhost', '::1', '127.0.0.1', '127.1.2.3'].filter(isLoopbackHost)).toHaveLength(4);
    expect(['0.0.0.0', '10.0.0.1', '::', 'api.binance.com', '127.example.com'].filter(isLoopbackHost)).toEqual([]);
  });
});

describe('loopbackHostOf', () => {
  it('gives the host and port of a URL on this machine, an IPv6 literal in brackets included', () => {
    expect(loopbackHostOf('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(loopbackHostOf('http://localhost/api')).toBe('localhost');
    expect(loopbackHostOf('http://[::1]:8080/')).toBe('[::1]:8080');
  });

  it('leaves out the user and password of the URL', () => {
    expect(loopbackHostOf('http://user:hunter2@127.0.0.1:8080')).toBe('127.0.0.1:8080');
  });

  it('is undefined for another machine, an empty or an unparsable URL', () => {
    expect(['https://api.binance.com', 'http://192.168.1.5:8080', 'http://localhost.example.com', '', '127.0.0.1:8080 nonsense'].map(loopbackHostOf)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
