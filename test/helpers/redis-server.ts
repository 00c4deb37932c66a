import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Where Debian's `redis-server` is; `.ci/run` installs it. */
const REDIS_BINARY = process.env['BOT_REDIS_SERVER'] ?? '/usr/bin/redis-server';

export interface RedisServer {
  port: number;
  password: string;
  /** `redis://:password@127.0.0.1:port`, for a client made in a test. */
  url: string;
  /** `redis://127.0.0.1:port`, as `--bus` takes it (the password goes in BOT_BUS_REDIS_PASSWORD). */
  busUrl: string;
  pid: number;
  /** Its data directory: an append-only file, so a restart keeps the streams. */
  dir: string;
  /** Stops it by its pid (SIGTERM, then SIGKILL), and waits for it to be gone. */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port and data directory (a Redis restart), after `downMs`. */
  restart(downMs?: number): Promise<void>;
}

export function redisAvailable(): boolean {
  return fs.existsSync(REDIS_BINARY);
}

/**
 * A real redis-server for a test, on 127.0.0.1, a free port, with a password and its own data directory;
 * never a mock. `describeWithRedis` fails rather than skips when BOT_REQUIRE_REDIS is set (CI) and the
 * binary is missing.
 */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const password = options.password ?? randomBytes(12).toString('hex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-redis-'));
  let child = await launch(port, password, dir);
  const server: RedisServer = {
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}`,
    busUrl: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid ?? -1;
    },
    dir,
    stop: async () => {
      await kill(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    restart: async (downMs = 0) => {
      await kill(child);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      child = await launch(port, password, dir);
    },
  };
  return server;
}

async function launch(port: number, password: string, dir: string): Promise<ChildProcess> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--requirepass', password,
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'always',
    '--save', '',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  const child = spawn(REDIS_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} on port ${port}: ${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not listen on 127.0.0.1:${port} within 10 s: ${output.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `describe` when redis-server is here; otherwise skipped, or failed when BOT_REQUIRE_REDIS is set (CI). */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisAvailable()) return describe(name, body);
  if (process.env['BOT_REQUIRE_REDIS']) {
    describe(name, () => {
      it('needs redis-server', () => {
        throw new Error(`${REDIS_BINARY} is missing: install Debian's redis-server (.ci/run does)`);
      });
    });
    return;
  }
  describe.skip(`${name} (no ${REDIS_BINARY})`, body);
}
