import { describeRedisUrl, redisConnection, redisUrlProblem } from '../../../../src/bus/redis/redis-url';

describe('the Redis URL', () => {
  it('is shown without user or password', () => {
    expect(describeRedisUrl('rediss://bot:pw@redis.example:6380/2')).toBe('rediss://redis.example:6380/2');
  });

  it('hands the ACL user and the password to ioredis as options, the password from BOT_BUS_REDIS_PASSWORD first', () => {
    expect(redisConnection('redis://bot@127.0.0.1:6379', 's3cret')).toEqual({ url: 'redis://127.0.0.1:6379', username: 'bot', password: 's3cret' });
    expect(redisConnection('redis://127.0.0.1:6379', '')).toEqual({ url: 'redis://127.0.0.1:6379' });
    expect(redisConnection('redis://:in%20url@h:1', '')).toEqual({ url: 'redis://h:1', password: 'in url' });
  });

  it('is refused with a password in it, or another scheme, in one sentence', () => {
    expect(redisUrlProblem('redis://:pw@127.0.0.1:6379')).toBe('bus.redis.url must not hold the password, which would show in the process list and the logs: set BOT_BUS_REDIS_PASSWORD instead');
    expect(redisUrlProblem('http://127.0.0.1:6379')).toBe('bus.redis.url must start with redis:// or rediss:// (TLS), not http://');
    expect(redisUrlProblem('redis://bot@127.0.0.1:6379')).toBeUndefined();
  });
});
