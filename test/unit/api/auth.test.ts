import { FailedLogins, TokenCheck, bearerToken } from '../../../src/api/auth';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import { MemoryLogger } from '../../helpers/memory-logger';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['abc', undefined],
    [undefined, undefined],
  ])('%j -> %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('TokenCheck', () => {
  it('matches only the exact token, whatever the length of the candidate', () => {
    const check = new TokenCheck('the-right-token-123');
    expect(check.matches('the-right-token-123')).toBe(true);
    for (const wrong of ['the-right-token-12', 'the-right-token-1234', 'THE-RIGHT-TOKEN-123', '', undefined]) expect(check.matches(wrong)).toBe(false);
  });
});

describe('FailedLogins', () => {
  it('refuses an address for the rest of its minute once it failed N times, and forgets it after', () => {
    const clock = new SimulatedClock(0);
    const logger = new MemoryLogger();
    const failures = new FailedLogins(clock, 3, logger);
    failures.record('1.2.3.4');
    clock.advance(10_000);
    failures.record('1.2.3.4');
    expect(failures.blockedForMs('1.2.3.4')).toBe(0);
    failures.record('1.2.3.4');
    expect(failures.blockedForMs('1.2.3.4')).toBe(50_000);
    expect(failures.blockedForMs('5.6.7.8')).toBe(0);
    expect(logger.messages('warn')).toEqual(['api: 3 failed logins from 1.2.3.4 within a minute; refusing it until the minute is over']);
    clock.advance(50_000);
    expect(failures.blockedForMs('1.2.3.4')).toBe(0);
    failures.record('1.2.3.4');
    expect(failures.blockedForMs('1.2.3.4')).toBe(0);
  });

  it('starts a new window once the old one is over, even without a check in between', () => {
    const clock = new SimulatedClock(0);
    const failures = new FailedLogins(clock, 2, new MemoryLogger());
    failures.record('a');
    clock.advance(60_000);
    failures.record('a');
    expect(failures.blockedForMs('a')).toBe(0);
  });

  it('remembers at most 10,000 addresses, forgetting the oldest window first', () => {
    const clock = new SimulatedClock(0);
    const failures = new FailedLogins(clock, 1, new MemoryLogger());
    for (let i = 0; i < 10_001; i++) failures.record(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(failures.blockedForMs('10.0.0.0')).toBe(0);
    expect(failures.blockedForMs('10.0.0.1')).toBeGreaterThan(0);
    expect(failures.blockedForMs('10.0.39.16')).toBeGreaterThan(0);
  });
});
