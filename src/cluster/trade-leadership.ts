import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../logging/logger';
import { describeRedisUrl, redisConnection } from '../bus/redis/redis-url';
import { LeaderLock } from './leader-lock';

export interface TradeLeadershipOptions {
  url: string;
  password: string;
  prefix: string;
  node: string;
  /** bus.failoverMs: the lock's lifetime, so a dead leader's lock is free this long after its last renewal. */
  ttlMs: number;
  clock: Clock;
  logger: Logger;
}

export interface TradeLeadership {
  /** The fencing token: higher for every new leader; what the trade agent sends carries it. */
  token: number;
  /** Called once if the lock is lost (another process may be leading now). */
  onLost(listener: (reason: string) => void): void;
  release(): Promise<void>;
}

/**
 * One trader at a time: before a process with the trade role opens the state file and starts its agents,
 * it takes the trade side's lock in Redis (cluster/leader-lock.ts), waiting as a standby while another
 * process holds it. The state file is opened only once the lock is ours, so the standby starts exactly as a
 * restart after a crash does: the journal restored and, live, the exchange reconciled before any order.
 */
export async function leadTradeSide(options: TradeLeadershipOptions): Promise<TradeLeadership> {
  const log = options.logger.child({ agent: 'bus' });
  const { url, ...credentials } = redisConnection(options.url, options.password);
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectionName: `${options.node}:leader-lock`,
    ...credentials,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot take the trade side's lock at ${describeRedisUrl(options.url)}: ${errorMessage(err)}`);
  }
  let lost: (reason: string) => void = () => undefined;
  const lock = new LeaderLock({
    redis,
    key: `${options.prefix}:leader:trade`,
    owner: `${options.node}:${process.pid}:${randomBytes(4).toString('hex')}`,
    ttlMs: options.ttlMs,
    clock: options.clock,
    onLost: (reason) => lost(reason),
  });
  let token = await lock.tryAcquire();
  if (token === undefined) {
    log.info(`standby: another process leads the trade side; this one takes over when it stops renewing its lock (within ${options.ttlMs} ms, bus.failoverMs)`);
    token = await lock.acquire();
  }
  log.info(`leading the trade side with fencing token ${token}`);
  return {
    token,
    onLost: (listener) => {
      lost = listener;
    },
    release: async () => {
      await lock.release().catch(() => undefined);
      redis.disconnect();
    },
  };
}
