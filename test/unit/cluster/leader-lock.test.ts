import net from 'node:net';
import { Redis } from 'ioredis';
import { LeaderLock, type LeaderLockOptions } from '../../../src/cluster/leader-lock';
import { SystemClock } from '../../../src/core/clock';
import { describeWithRedis, startRedis, type RedisServer } from '../../helpers/redis-server';

const TTL_MS = 300;
const clock = new SystemClock();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Clients and locks made by a test, closed after it whatever it left them in. */
function harness(server: () => RedisServer) {
  const clients: Redis[] = [];
  const locks: LeaderLock[] = [];
  let keys = 0;
  const api = {
    client(): Redis {
      const client = new Redis(server().url, { lazyConnect: false, maxRetriesPerRequest: 1 });
      // A dropped connection is part of some tests; ioredis would print each reconnect failure otherwise.
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    newKey(): string {
      return `test:leader:${++keys}`;
    },
    lock(redis: Redis, key: string, owner: string, extra: Partial<LeaderLockOptions> = {}): LeaderLock {
      const lock = new LeaderLock({ redis, key, owner, ttlMs: TTL_MS, clock, ...extra });
      locks.push(lock);
      return lock;
    },
    async cleanUp(): Promise<void> {
      // A client cut off from Redis can hold a command for good; renewal is stopped either way.
      await Promise.all(
        locks.splice(0).map(async (lock) => {
          let timer: NodeJS.Timeout | undefined;
          const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 500)));
          await Promise.race([lock.release().catch(() => undefined), giveUp]);
          clearTimeout(timer);
        }),
      );
    },
    async closeAll(): Promise<void> {
      await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
  return api;
}

describeWithRedis('LeaderLock', () => {
  let server: RedisServer;
  const h = harness(() => server);
  let admin: Redis;
  let redisA: Redis;
  let redisB: Redis;

  beforeAll(async () => {
    server = await startRedis();
    admin = h.client();
    redisA = h.client();
    redisB = h.client();
  });
  afterEach(() => h.cleanUp());
  afterAll(async () => {
    await h.closeAll();
    await server?.stop();
  });

  it('lets exactly one of two contenders win', async () => {
    const key = h.newKey();
    const a = h.lock(redisA, key, 'a');
    const b = h.lock(redisB, key, 'b');
    const [tokenA, tokenB] = await Promise.all([a.tryAcquire(), b.tryAcquire()]);
    expect([tokenA, tokenB].filter((t) => t !== undefined)).toHaveLength(1);
    const winner = tokenA !== undefined ? 'a' : 'b';
    expect(await admin.get(key)).toBe(winner);
    expect(a.token).toBe(tokenA);
    expect(b.token).toBe(tokenB);
  });

  it('keeps the lock well past its ttl while the leader renews it', async () => {
    const key = h.newKey();
    const a = h.lock(redisA, key, 'a');
    const token = await a.acquire();
    await sleep(TTL_MS * 4);
    expect(await admin.get(key)).toBe('a');
    expect(await h.lock(redisB, key, 'b').tryAcquire()).toBeUndefined();
    expect(a.token).toBe(token);
    expect(await a.isCurrent(token)).toBe(true);
  });

  it('gives every new leader a larger token than the last', async () => {
    const key = h.newKey();
    const a = h.lock(redisA, key, 'a');
    const b = h.lock(redisB, key, 'b');
    const first = await a.acquire();
    await a.release();
    const second = await b.acquire();
    await b.release();
    const third = await a.acquire();
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
  });

  it('hands the lock to a waiting standby as soon as the leader releases, without waiting out the ttl', async () => {
    const key = h.newKey();
    const longTtl = 5000;
    const a = h.lock(redisA, key, 'a', { ttlMs: longTtl });
    const b = h.lock(redisB, key, 'b', { ttlMs: longTtl });
    const leaderToken = await a.acquire();
    const standby = b.acquire({ pollMs: 20 });
    await sleep(100);
    expect(b.token).toBeUndefined();
    const releasedAt = Date.now();
    await a.release();
    const standbyToken = await standby;
    expect(Date.now() - releasedAt).toBeLessThan(longTtl / 2);
    expect(standbyToken).toBeGreaterThan(leaderToken);
    expect(a.token).toBeUndefined();
    expect(await admin.get(key)).toBe('b');
  });

  it('hands the lock to the standby when the leader stops renewing, and tells the old leader it lost it', async () => {
    const key = h.newKey();
    const leaderRedis = h.client();
    const lost: string[] = [];
    const a = h.lock(leaderRedis, key, 'a', { onLost: (reason) => lost.push(reason) });
    const b = h.lock(redisB, key, 'b');
    const leaderToken = await a.acquire();
    const standby = b.acquire({ pollMs: 20 });
    await sleep(TTL_MS);
    expect(b.token).toBeUndefined();
    // The leader's connection dies for good, as when its process hangs or its network goes.
    const diedAt = Date.now();
    leaderRedis.disconnect(false);
    const standbyToken = await standby;
    // Its last renewal was at most ttl/3 before it died, so the lock outlived it by at least 2/3 of the ttl.
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual((TTL_MS * 2) / 3 - 20);
    expect(standbyToken).toBeGreaterThan(leaderToken);
    await waitFor(() => lost.length > 0, 'the old leader to notice');
    expect(lost).toEqual([expect.stringMatching(/^the leader lock test:leader:\d+ could not be renewed for \d+ ms, longer than its 300 ms ttl$/)]);
    expect(a.token).toBeUndefined();
  });

  it('says the old token is no longer current once a new leader holds the lock', async () => {
    const key = h.newKey();
    const a = h.lock(redisA, key, 'a');
    const b = h.lock(redisB, key, 'b');
    const oldToken = await a.acquire();
    expect(await a.isCurrent(oldToken)).toBe(true);
    expect(await b.isCurrent(oldToken)).toBe(false);
    await a.release();
    const newToken = await b.acquire();
    expect(await a.isCurrent(oldToken)).toBe(false);
    expect(await b.isCurrent(oldToken)).toBe(false);
    expect(await b.isCurrent(newToken)).toBe(true);
  });

  it('says a token is not current once its lock was deleted, even before renewal notices', async () => {
    const key = h.newKey();
    const a = h.lock(redisA, key, 'a');
    const token = await a.acquire();
    await admin.del(key);
    expect(await a.isCurrent(token)).toBe(false);
  });

  it('tells the leader once that it lost the lock when the key is deleted from under it', async () => {
    const key = h.newKey();
    const lost: string[] = [];
    const a = h.lock(redisA, key, 'a', { onLost: (reason) => lost.push(reason) });
    await a.acquire();
    await admin.del(key);
    await waitFor(() => lost.length > 0, 'onLost');
    await sleep(TTL_MS * 2);
    expect(lost).toEqual([`the leader lock ${key} was gone or held by another when renewed`]);
    expect(a.token).toBeUndefined();
  });

  it('tells the leader it lost the lock when another process takes the key', async () => {
    const key = h.newKey();
    const lost: string[] = [];
    const a = h.lock(redisA, key, 'a', { onLost: (reason) => lost.push(reason) });
    await a.acquire();
    await admin.set(key, 'intruder', 'PX', 10_000);
    await waitFor(() => lost.length > 0, 'onLost');
    expect(a.token).toBeUndefined();
    // Having lost it, the old leader leaves the new holder's lock alone.
    await sleep(TTL_MS);
    await a.release();
    expect(await admin.get(key)).toBe('intruder');
  });

  it('leaves another holder’s lock in place when releasing', async () => {
    const key = h.newKey();
    const a = h.lock(redisA, key, 'a');
    const b = h.lock(redisB, key, 'b');
    await a.acquire();
    await admin.del(key);
    await b.acquire();
    await a.release();
    expect(await admin.get(key)).toBe('b');
    expect(b.token).toBeDefined();
  });

  it('stops waiting with a clear error when the signal aborts', async () => {
    const key = h.newKey();
    await h.lock(redisA, key, 'a').acquire();
    const b = h.lock(redisB, key, 'b');
    const controller = new AbortController();
    const waiting = b.acquire({ pollMs: 20, signal: controller.signal });
    await sleep(60);
    controller.abort();
    await expect(waiting).rejects.toThrow(`Stopped waiting for the leader lock ${key}: the wait was aborted.`);
    await expect(b.acquire({ signal: controller.signal })).rejects.toThrow('the wait was aborted');
    expect(b.token).toBeUndefined();
  });

  it('stops waiting when released while waiting', async () => {
    const key = h.newKey();
    await h.lock(redisA, key, 'a').acquire();
    const b = h.lock(redisB, key, 'b');
    const waiting = b.acquire({ pollMs: 20 });
    await sleep(60);
    await b.release();
    await expect(waiting).rejects.toThrow(`Stopped waiting for the leader lock ${key}: it was released.`);
    expect(await admin.get(key)).toBe('a');
  });

  it('refuses a ttl that is not a positive whole number of ms', () => {
    expect(() => new LeaderLock({ redis: redisA, key: h.newKey(), owner: 'a', ttlMs: 0.5, clock })).toThrow(
      'LeaderLock ttlMs must be a positive whole number of ms, got 0.5.',
    );
  });
});

/** A TCP hop between a client and Redis that can be cut and restored: a real network outage, on demand. */
async function cuttableLink(targetPort: number): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.pipe(upstream).pipe(downstream);
  });
  const listen = (port: number): Promise<void> => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: () => listen(port),
  };
}

describeWithRedis('LeaderLock when Redis goes away for a while', () => {
  let server: RedisServer;
  const h = harness(() => server);

  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(() => h.cleanUp());
  afterAll(async () => {
    await h.closeAll();
    await server?.stop();
  });

  it('keeps the lock through an outage shorter than its ttl, retrying the failed renewals at the next tick', async () => {
    const ttlMs = 1500;
    const key = h.newKey();
    const link = await cuttableLink(server.port);
    const redis = new Redis(`redis://:${server.password}@127.0.0.1:${link.port}`, { lazyConnect: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const failedCommands: string[] = [];
    const evalThrough = redis.eval.bind(redis) as (...args: unknown[]) => Promise<unknown>;
    jest.spyOn(redis, 'eval').mockImplementation(((...args: unknown[]) =>
      evalThrough(...args).catch((err: Error) => {
        failedCommands.push(err.message);
        throw err;
      })) as never);
    try {
      const lost: string[] = [];
      const a = h.lock(redis, key, 'a', { ttlMs, onLost: (reason) => lost.push(reason) });
      const token = await a.acquire();
      await link.cut();
      await sleep((ttlMs * 2) / 3);
      await link.restore();
      // Past the ttl since the cut: the lock is still there only if renewal came back after the outage.
      await sleep(ttlMs);
      expect(failedCommands.length).toBeGreaterThan(0);
      expect(lost).toEqual([]);
      expect(a.token).toBe(token);
      expect(await redis.get(key)).toBe('a');
      expect(await a.isCurrent(token)).toBe(true);
      await a.release();
    } finally {
      redis.disconnect();
      await link.cut();
    }
  });

  it('stops waiting at once when the signal aborts, even while Redis is not answering', async () => {
    // A peer that accepts the connection and never replies, as a hung Redis or a half-open connection does.
    const accepted: net.Socket[] = [];
    const silent = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as net.AddressInfo).port;
    // disconnectTimeout: ioredis otherwise keeps a 2 s timer for a connection that never got going.
    const redis = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: false, maxRetriesPerRequest: 1, disconnectTimeout: 50 });
    redis.on('error', () => undefined);
    try {
      const a = h.lock(redis, h.newKey(), 'a');
      const controller = new AbortController();
      const waiting = a.acquire({ signal: controller.signal });
      await sleep(100);
      const abortedAt = Date.now();
      controller.abort();
      await expect(waiting).rejects.toThrow('the wait was aborted');
      expect(Date.now() - abortedAt).toBeLessThan(100);
    } finally {
      redis.disconnect();
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });

  it('gives the lock up when Redis stays out of reach longer than the ttl', async () => {
    const key = h.newKey();
    const link = await cuttableLink(server.port);
    const redis = new Redis(`redis://:${server.password}@127.0.0.1:${link.port}`, { lazyConnect: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    try {
      const lost: string[] = [];
      const a = h.lock(redis, key, 'a', { onLost: (reason) => lost.push(reason) });
      await a.acquire();
      await link.cut();
      await waitFor(() => lost.length > 0, 'onLost');
      expect(lost[0]).toMatch(/could not be renewed/);
      expect(a.token).toBeUndefined();
      // Another process, with Redis in reach, can take it: the lock expired on its own.
      const b = h.lock(h.client(), key, 'b');
      await waitFor(async () => (await b.tryAcquire()) !== undefined, 'the other process to win', 2000);
      // Back in reach, the old leader's release leaves the new leader's lock alone.
      await link.restore();
      // Until the client is back, a command would fail after its one retry instead of reaching Redis.
      await waitFor(() => redis.status === 'ready', 'the old leader to reconnect');
      await a.release();
      expect(await redis.get(key)).toBe('b');
    } finally {
      redis.disconnect();
      await link.cut();
    }
  });
});
