/**
 * A local cluster for trying the bot spread over processes: `npm run cluster -- --analysis 3`.
 *
 * Starts a throwaway redis-server (127.0.0.1, a free port, a random password, append-only, its own temp
 * directory) unless --redis-url names one, then one data process, N analysis processes and a
 * trade+portfolio+monitor process (and with --standby a second one waiting to take the trade side over),
 * each `src/main.ts` under ts-node, their output prefixed with their names. Ctrl-C stops them all, then Redis.
 * docs/deploy.md describes the real thing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Command } from 'commander';
import { redisUrlProblem } from '../src/bus/redis/redis-url';
import { MIN_BUS_KEY_LENGTH } from '../src/bus/wire/signed-frame';
import { addCommonOptions } from '../src/cli/common-options';
import { addPaperOptions } from '../src/cli/paper-options';

/** One process of the cluster: `src/main.ts` run with `args`, its environment `env` over the script's. */
export interface ClusterChild {
  name: string;
  /** The bot's arguments (what follows `src/main.ts`). */
  args: string[];
  /** Added to the script's own environment. */
  env: Record<string, string>;
}

/** What the command line asks for. */
export interface ClusterArgs {
  analysis: number;
  /** --redis-url: a running Redis; undefined: the script starts its own. */
  redisUrl: string | undefined;
  /** Also start a standby trade process. */
  standby: boolean;
  help: boolean;
  /** The bot's options every process gets, as typed. */
  shared: string[];
  /** The bot's options only the trade processes get (--out, --state, --fresh, --api), as typed. */
  traderOnly: string[];
}

/** A mistake on the command line: printed as one sentence, exit code 2. */
export class ClusterUsageError extends Error {
  override readonly name = 'ClusterUsageError';
}

export const MAX_ANALYSIS = 16;
const DEFAULT_ANALYSIS = 2;
const TRADER_ROLES = 'trade,portfolio,monitor';
/** What only the process keeping the account makes sense with: a state file, its outputs, the API on it. */
const TRADER_ONLY = new Set(['--out', '--state', '--fresh', '--api']);
const SET_HERE: Readonly<Record<string, string>> = {
  '--bus': 'the cluster script gives every process --bus itself: pass --redis-url to use a Redis of yours',
  '--role': 'the cluster script gives each process its --role itself (data, analysis, and trade,portfolio,monitor)',
  '--node': 'the cluster script names each process itself (data, analysis-1.., trader)',
  '--live': 'the cluster script is for trying the bot on paper: start a live bot spread over processes by hand (docs/deploy.md)',
};

export const USAGE = `Usage: npm run cluster -- [--analysis N] [--standby] [--redis-url redis://host:port] [paper options]

Starts the bot spread over processes on this machine: one data process, N analysis processes
(analysis-1..N) and a trade+portfolio+monitor process ("trader"), all on one Redis.

  --analysis <n>      analysis processes, 1 to ${MAX_ANALYSIS} (default ${DEFAULT_ANALYSIS})
  --standby           also start a standby trader that takes the trade side over when "trader" dies
  --redis-url <url>   use this running Redis (redis://[user@]host:port, rediss:// for TLS; the password
                      in BOT_BUS_REDIS_PASSWORD) instead of starting /usr/bin/redis-server here
  -h, --help          this text

Every other option is the bot's paper option (npx ts-node src/main.ts --help), e.g. --seed 7 --candles 500
--speed 200 --symbols BTC/USDT,ETH/USDT,SOL/USDT --strategy sma-cross; --out, --state, --fresh and --api go
to the trader only. Without --state the trader keeps its state in a temporary file removed at the end.
BOT_BUS_KEY is generated when it is not set. Ctrl-C stops every process, then Redis.`;

type Takes = 'value' | 'optional' | 'none';

/** The bot's paper options, by long and short name, from its own command definition. */
function botOptions(): Map<string, { long: string; takes: Takes }> {
  const command = addPaperOptions(addCommonOptions(new Command('paper')));
  const options = new Map<string, { long: string; takes: Takes }>();
  for (const option of command.options) {
    if (option.long === undefined) continue;
    const entry = { long: option.long, takes: option.required ? 'value' : option.optional ? 'optional' : 'none' } as const;
    options.set(option.long, entry);
    if (option.short !== undefined) options.set(option.short, entry);
  }
  return options;
}

/** The command line read; every mistake a ClusterUsageError of one sentence. */
export function parseClusterArgs(argv: readonly string[]): ClusterArgs {
  const bot = botOptions();
  const parsed: ClusterArgs = { analysis: DEFAULT_ANALYSIS, redisUrl: undefined, standby: false, help: false, shared: [], traderOnly: [] };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('-') || token === '-') {
      throw new ClusterUsageError(`unexpected argument "${token}": the cluster script takes options only (npm run cluster -- --help)`);
    }
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
    const inline = eq > 0 ? token.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw new ClusterUsageError(`${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        parsed.help = true;
        continue;
      case '--analysis':
        parsed.analysis = analysisCount(value());
        continue;
      case '--redis-url': {
        const url = value();
        const problem = redisUrlProblem(url);
        if (problem) throw new ClusterUsageError(`the --redis-url given is refused: ${problem}`);
        parsed.redisUrl = url;
        continue;
      }
      case '--standby':
        if (inline !== undefined) throw new ClusterUsageError('--standby takes no value');
        parsed.standby = true;
        continue;
    }
    const reason = SET_HERE[name];
    if (reason !== undefined) throw new ClusterUsageError(`${name} is not taken here: ${reason}`);
    const option = bot.get(name);
    if (option === undefined) {
      throw new ClusterUsageError(`unknown option ${name}: the cluster script takes --analysis, --standby, --redis-url and the bot's paper options (npx ts-node src/main.ts --help)`);
    }
    const typed = [token];
    if (option.takes === 'value' && inline === undefined) typed.push(value());
    if (option.takes === 'none' && inline !== undefined) throw new ClusterUsageError(`${name} takes no value`);
    if (option.takes === 'optional' && inline === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-')) typed.push(value());
    }
    (TRADER_ONLY.has(option.long) ? parsed.traderOnly : parsed.shared).push(...typed);
  }
  return parsed;
}

function analysisCount(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ANALYSIS) {
    throw new ClusterUsageError(`--analysis takes the number of analysis processes, a whole number from 1 to ${MAX_ANALYSIS}, not "${text}"`);
  }
  return n;
}

/**
 * The processes of the cluster the command line asks for, spawning nothing: data, analysis-1..N, trader
 * (and trader-standby), each with --bus, --role and --node and the options given, and the environment that
 * makes them one bot (BOT_BUS_KEY, the Redis password, BOT_BUS_AWAIT waiting for all N analysis processes).
 * `stateFile` is the traders' state file when the command line names none.
 */
export function clusterPlan(
  argv: string[],
  opts: { redisUrl: string; password: string; busKey: string; stateFile?: string },
): ClusterChild[] {
  const parsed = parseClusterArgs(argv);
  if (opts.busKey.length < MIN_BUS_KEY_LENGTH) {
    throw new ClusterUsageError(`BOT_BUS_KEY must be at least ${MIN_BUS_KEY_LENGTH} characters (it has ${opts.busKey.length}): unset it to have one generated, or generate one with: openssl rand -hex 32`);
  }
  const env = (): Record<string, string> => ({
    BOT_BUS_KEY: opts.busKey,
    ...(opts.password !== '' ? { BOT_BUS_REDIS_PASSWORD: opts.password } : {}),
    BOT_BUS_AWAIT: `data,analysis:${parsed.analysis},portfolio,trade`,
    BOT_LOG_TO_FILE: 'false',
  });
  const on = (role: string, node: string): string[] => ['--bus', opts.redisUrl, '--role', role, '--node', node];
  const namesState = parsed.traderOnly.some((t) => t === '--state' || t.startsWith('--state='));
  const state = !namesState && opts.stateFile !== undefined ? ['--state', opts.stateFile] : [];
  const trader = [...on(TRADER_ROLES, 'trader'), ...parsed.shared, ...parsed.traderOnly, ...state];
  const plan: ClusterChild[] = [{ name: 'data', args: [...on('data', 'data'), ...parsed.shared], env: env() }];
  for (let i = 1; i <= parsed.analysis; i++) {
    plan.push({ name: `analysis-${i}`, args: [...on('analysis', `analysis-${i}`), ...parsed.shared], env: env() });
  }
  plan.push({ name: 'trader', args: trader, env: env() });
  // The same --node: the standby is the trader started again elsewhere, and takes its place on the bus.
  if (parsed.standby) plan.push({ name: 'trader-standby', args: [...trader], env: env() });
  return plan;
}

// ---------------------------------------------------------------------------------------------------------
// Everything below runs processes.

interface LocalRedis {
  url: string;
  password: string;
  stop(): Promise<void>;
  kill(): void;
}

function say(line: string): void {
  process.stdout.write(`[cluster] ${line}\n`);
}

function findRedisServer(): string | undefined {
  const given = process.env['BOT_REDIS_SERVER'];
  if (given) return fs.existsSync(given) ? given : undefined;
  const candidates = ['/usr/bin/redis-server', ...(process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'redis-server'))];
  return candidates.find((file) => fs.existsSync(file));
}

function freePort(): Promise<number> {
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

/** Ends `child` by its pid: SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A redis-server of our own on 127.0.0.1, a free port, a random password, append-only, in `dir`. */
async function startLocalRedis(binary: string, dir: string): Promise<LocalRedis> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('hex');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // The password in a file of a private directory rather than on the command line, where ps shows it.
    const conf = path.join(dir, 'redis.conf');
    const lines = [
      `port ${port}`,
      'bind 127.0.0.1',
      `requirepass ${password}`,
      `dir ${JSON.stringify(dir)}`,
      'appendonly yes',
      'appendfsync everysec',
      'save ""',
      'daemonize no',
      'loglevel warning',
    ];
    fs.writeFileSync(conf, lines.join('\n') + '\n', { mode: 0o600 });
    // Its own process group: the terminal's Ctrl-C must not take Redis away while the bots are still stopping.
    const child = spawn(binary, [conf], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (err) => (output += err.message));
    const deadline = Date.now() + 10_000;
    let up = false;
    while (!(up = await accepts(port))) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (up) {
      prefixLines('redis', child);
      return {
        url: `redis://127.0.0.1:${port}`,
        password,
        stop: () => stopChild(child, 5000),
        kill: () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')),
      };
    }
    child.kill('SIGKILL');
    // Another program took the free port between our look and redis-server's bind: another port.
    if (/address already in use/i.test(output) && attempt < 3) continue;
    throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${output.trim() || 'no output, and it did not listen within 10 s'}`);
  }
}

/** The child's stdout and stderr, each line prefixed `[name] `, to ours. */
function prefixLines(name: string, child: ChildProcess, onLine?: (line: string) => void): void {
  for (const [stream, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (!stream) continue;
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      to.write(`[${name}] ${line}\n`);
      onLine?.(line);
    });
  }
}

/** A seed for every process when none is given, so all of them log the same one and the run can be replayed. */
function withSeed(argv: string[]): { argv: string[]; seed: number | undefined } {
  const has = (...names: string[]): boolean => argv.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`)));
  const source = argv.find((a, i) => argv[i - 1] === '--source') ?? argv.find((a) => a.startsWith('--source='))?.slice(9) ?? process.env['BOT_MARKET_SOURCE'];
  if (has('--seed', '-c', '--config') || process.env['BOT_MARKET_SIMULATED_SEED'] || source === 'exchange') return { argv, seed: undefined };
  const seed = randomInt(1, 2 ** 32 - 1);
  return { argv: [...argv, '--seed', String(seed)], seed };
}

async function runCluster(argv: string[]): Promise<number> {
  const parsed = parseClusterArgs(argv);
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const givenKey = process.env['BOT_BUS_KEY'];
  const busKey = givenKey !== undefined && givenKey !== '' ? givenKey : randomBytes(32).toString('hex');
  if (busKey.length < MIN_BUS_KEY_LENGTH) clusterPlan(argv, { redisUrl: 'redis://127.0.0.1:6379', password: '', busKey }); // throws the sentence
  let redisBinary: string | undefined;
  if (parsed.redisUrl === undefined) {
    redisBinary = findRedisServer();
    const named = process.env['BOT_REDIS_SERVER'];
    if (redisBinary === undefined && named) throw new ClusterUsageError(`BOT_REDIS_SERVER names ${named}, which does not exist: point it at redis-server, or pass --redis-url redis://HOST:PORT of a running Redis`);
    if (redisBinary === undefined) {
      throw new ClusterUsageError(
        'redis-server is not installed here (looked for /usr/bin/redis-server and on PATH): install it (apt-get install redis-server) or pass --redis-url redis://HOST:PORT of a running Redis',
      );
    }
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-cluster-'));
  const children = new Map<string, ChildProcess>();
  let redis: LocalRedis | undefined;
  // Should the script end another way (an exception), nothing it started is left running.
  const killAll = (): void => {
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    redis?.kill();
  };
  process.on('exit', killAll);
  // A Ctrl-C while Redis starts: Redis is stopped again, rather than left running in its own process group.
  let interrupted: NodeJS.Signals | undefined;
  const early = (signal: NodeJS.Signals): void => void (interrupted ??= signal);
  process.on('SIGINT', early);
  process.on('SIGTERM', early);
  try {
    if (redisBinary !== undefined) {
      try {
        redis = await startLocalRedis(redisBinary, path.join(tmp, 'redis'));
      } finally {
        process.off('SIGINT', early);
        process.off('SIGTERM', early);
      }
      if (interrupted) {
        say(`${interrupted} while Redis started: stopping it`);
        return 130;
      }
      say(`Redis started at ${redis.url} (password generated; append-only data in ${path.join(tmp, 'redis')})`);
    } else {
      process.off('SIGINT', early);
      process.off('SIGTERM', early);
      say(`using the Redis at ${parsed.redisUrl} (password from BOT_BUS_REDIS_PASSWORD${process.env['BOT_BUS_REDIS_PASSWORD'] ? '' : ', which is not set'})`);
    }
    const seeded = withSeed(argv);
    const stateFile = process.env['BOT_STATE_FILE'] ? undefined : path.join(tmp, 'paper.sqlite');
    const plan = clusterPlan(seeded.argv, {
      redisUrl: redis?.url ?? parsed.redisUrl!,
      password: redis?.password ?? process.env['BOT_BUS_REDIS_PASSWORD'] ?? '',
      busKey,
      ...(stateFile !== undefined ? { stateFile } : {}),
    });
    if (givenKey === undefined || givenKey === '') say('BOT_BUS_KEY was not set: generated one for this run');
    if (seeded.seed !== undefined) say(`market seed ${seeded.seed} (pass --seed ${seeded.seed} to replay this run)`);
    if (stateFile !== undefined && !parsed.traderOnly.some((t) => t === '--state' || t.startsWith('--state='))) {
      say(`the trader keeps its state in ${stateFile}, removed at the end (pass --state FILE to keep it)`);
    }
    say(`starting ${plan.map((c) => c.name).join(', ')} (BOT_BUS_AWAIT=${plan[0]!.env['BOT_BUS_AWAIT']}); Ctrl-C stops them`);
    return await supervise(plan, children);
  } finally {
    await redis?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    process.off('exit', killAll);
  }
}

/** Runs the plan until every child has exited; the first non-zero exit code, else 0. */
function supervise(plan: ClusterChild[], children: Map<string, ChildProcess>): Promise<number> {
  const tsNode = require.resolve('ts-node/dist/bin.js');
  const mainTs = path.join(__dirname, '..', 'src', 'main.ts');
  return new Promise((resolve) => {
    let firstFailure = 0;
    let stopping = false;
    let stoppedAt = 0;
    let running = 0;
    let killTimer: NodeJS.Timeout | undefined;
    const waiting = new Map<string, ClusterChild>();
    /** Children sent SIGTERM by us: one that dies of it (still starting, or a standby waiting) did not fail. */
    const termed = new Set<string>();
    const term = (name: string, child: ChildProcess): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      termed.add(name);
      child.kill('SIGTERM');
    };

    const finish = (): void => {
      if (running > 0 || (waiting.size > 0 && !stopping)) return;
      if (killTimer) clearTimeout(killTimer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(firstFailure);
    };
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      stoppedAt = Date.now();
      waiting.clear();
      if (running > 0) say(`${why}: stopping ${running} process${running === 1 ? '' : 'es'} with SIGTERM`);
      for (const [name, child] of children) term(name, child);
      killTimer = setTimeout(() => {
        for (const [name, child] of children) {
          if (child.exitCode !== null || child.signalCode !== null) continue;
          say(`${name} did not stop within 20 s: SIGKILL`);
          child.kill('SIGKILL');
        }
      }, 20_000);
      finish();
    };
    const start = (entry: ClusterChild): void => {
      // Its own process group, so the terminal's Ctrl-C reaches only this script, which sends one SIGTERM:
      // a bot takes a second signal as "force an exit now".
      const child = spawn(process.execPath, [tsNode, mainTs, ...entry.args], {
        env: { ...process.env, ...entry.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      children.set(entry.name, child);
      running++;
      prefixLines(entry.name, child, (line) => {
        // The standby starts once the trader leads, so the one named trader is the leader.
        if (entry.name === 'trader' && /leading the trade side/.test(line)) startWaiting();
      });
      child.on('error', (err) => say(`${entry.name} could not start: ${err.message}`));
      child.on('close', (code, signal) => {
        running--;
        const failed = code !== 0 && !(signal === 'SIGTERM' && termed.has(entry.name));
        if (failed && firstFailure === 0) firstFailure = code ?? 1;
        say(`${entry.name} ${signal ? `was ended by ${signal}` : `exited with code ${code}`}${failed && code !== 2 && !stopping && running > 0 ? '; the others go on (Ctrl-C stops them)' : ''}`);
        // Code 2 is a mistake in the options or the config: the others have it too, or wait in vain.
        if (code === 2) stop(`${entry.name} refused its options`);
        if (entry.name === 'trader' && !stopping) {
          if (code === 0) {
            // The leader finished the run (the market ended, --duration): a standby taking over now would
            // wait in vain for a market that is over.
            waiting.clear();
            const standby = children.get('trader-standby');
            if (standby && standby.exitCode === null && standby.signalCode === null) {
              say('trader finished the run: stopping trader-standby');
              term('trader-standby', standby);
            }
          } else startWaiting();
        }
        finish();
      });
    };
    const startWaiting = (): void => {
      if (stopping) return;
      for (const entry of waiting.values()) start(entry);
      waiting.clear();
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!stopping) return stop(signal);
      // npm passes our terminal's signal on to us as well: one Ctrl-C may arrive twice.
      if (Date.now() - stoppedAt < 1000) return;
      say(`${signal} again: SIGKILL to every process still running`);
      for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    for (const entry of plan) {
      if (entry.name === 'trader-standby') waiting.set(entry.name, entry);
      else start(entry);
    }
  });
}

if (require.main === module) {
  runCluster(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = err instanceof ClusterUsageError ? 2 : 1;
    },
  );
}
