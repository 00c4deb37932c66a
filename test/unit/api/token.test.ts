import { apiToken } from '../../../src/api/token';
import { ConfigError } from '../../../src/core/errors';

describe('apiToken', () => {
  it('takes BOT_API_TOKEN when it is set', () => {
    expect(apiToken({ BOT_API_TOKEN: 'a-long-enough-token-1234' })).toEqual({ token: 'a-long-enough-token-1234', generated: false });
  });

  it('generates 24 random bytes as base64url when it is unset or empty, a new one each time', () => {
    const first = apiToken({});
    const second = apiToken({ BOT_API_TOKEN: '' });
    expect(first.generated).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Buffer.from(first.token, 'base64url')).toHaveLength(24);
    expect(second.token).not.toBe(first.token);
  });

  it.each(['short', 'fifteen-chars!!', 'has a space in it ok', 'tab\tinside-the-token-x'])('refuses %j in one sentence', (token) => {
    expect(() => apiToken({ BOT_API_TOKEN: token })).toThrow(ConfigError);
    expect(() => apiToken({ BOT_API_TOKEN: token })).toThrow(
      /^BOT_API_TOKEN must be at least 16 printable characters without spaces \(it has \d+\); unset it to have one generated at start\.$/,
    );
  });

  it('accepts exactly 16 characters', () => {
    expect(apiToken({ BOT_API_TOKEN: '0123456789abcdef' }).generated).toBe(false);
  });
});
