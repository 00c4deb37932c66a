import { closestKey, editDistance } from '../../../src/config/closest-key';

const KEYS = ['log', 'log.level', 'log.toFile', 'log.dir', 'risk', 'risk.maxOpenPositions', 'monitor', 'monitor.heartbeatIntervalMs'];

describe('closestKey', () => {
  it.each([
    ['log.levl', 'log.level'],
    ['lgo', 'log'],
    ['log.tofile', 'log.toFile'],
    ['risk.maxOpenPosition', 'risk.maxOpenPositions'],
    ['log.dri', 'log.dir'],
  ])('suggests %s -> %s', (input, expected) => {
    expect(closestKey(input, KEYS)).toBe(expected);
  });

  it('suggests the key of the same name when it sits in another group', () => {
    expect(closestKey('heartbeatIntervalMs', KEYS)).toBe('monitor.heartbeatIntervalMs');
  });

  it('suggests nothing when no key is close', () => {
    expect(closestKey('exchange.timeout', KEYS)).toBeUndefined();
    expect(closestKey('xyz', KEYS)).toBeUndefined();
  });

  it('works on environment variable names', () => {
    expect(closestKey('BOT_LOG_LEVL', ['BOT_LOG_LEVEL', 'BOT_LOG_DIR'])).toBe('BOT_LOG_LEVEL');
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'acb', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%j -> %j is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });
});
