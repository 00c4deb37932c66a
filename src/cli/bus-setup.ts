import { RedisTransport } from '../bus/redis/redis-transport';
import { busKey } from '../bus/wire/signed-frame';
import { checkClusterSettings, nodeName } from '../cluster/cluster-settings';
import type { BotConfig } from '../config/schema';
import { UserError } from '../core/errors';
import type { Logger } from '../logging/logger';

export interface BusSetup {
  transport: RedisTransport;
  key: Buffer;
}

/**
 * With bus.redis.url (--bus): the Redis transport and BOT_BUS_KEY, each mistake a UserError naming the key;
 * without, nothing (the bus stays in this process).
 */
export function busSetup(config: BotConfig, env: Readonly<Record<string, string | undefined>>, logger: Logger): BusSetup | undefined {
  checkClusterSettings(config);
  const { redis } = config.bus;
  if (redis.url === '') return undefined;
  const key = busKey(env);
  if (typeof key === 'string') throw new UserError(key);
  const log = logger.child({ agent: 'bus' });
  const transport = new RedisTransport({
    url: redis.url,
    password: redis.password,
    prefix: redis.prefix,
    node: nodeName(config),
    onNotice: (level, message) => log[level](message),
  });
  return { transport, key };
}
