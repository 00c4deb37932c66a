/** `bus.redis.url` for the log: the host and port, never the user or password. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : ''}`;
  } catch {
    return 'an unparsable Redis URL';
  }
}

/** What is wrong with `bus.redis.url`, or undefined. */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'bus.redis.url is not a URL: write it as redis://[user@]host:port (rediss:// for TLS), the password in BOT_BUS_REDIS_PASSWORD';
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return `bus.redis.url must start with redis:// or rediss:// (TLS), not ${parsed.protocol}//`;
  }
  if (parsed.password !== '') {
    return 'bus.redis.url must not hold the password, which would show in the process list and the logs: set BOT_BUS_REDIS_PASSWORD instead';
  }
  return undefined;
}

/**
 * The URL without its credentials, and the credentials as ioredis options: given in the URL, ioredis
 * reads `redis://user@host` with the user alone wrongly, and lets the URL's empty password win over the
 * one passed as an option.
 */
export function redisConnection(url: string, password: string): { url: string; username?: string; password?: string } {
  const parsed = new URL(url);
  const username = decodeURIComponent(parsed.username);
  const secret = password !== '' ? password : decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), ...(username ? { username } : {}), ...(secret ? { password: secret } : {}) };
}
