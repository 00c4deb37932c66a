/**
 * The REST API's cost and responsiveness:
 * - `/api/status` answered while the paper bot plays the simulated market as fast as it can (SystemClock,
 *   the real feed timer), from a client in this process: p50/p99 over many sequential requests, and the
 *   candles/s the bot played meanwhile.
 * The latency bench with the API on (server, one authenticated WebSocket client, metrics) is `latency`'s
 * `--api` variant (latency.bench.ts), compared there with the API off in the same run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startApiServer } from '../src/api/api-server';
import { buildApp } from '../src/app/build-app';
import { BotOperations } from '../src/app/bot-operations';
import { loadConfig } from '../src/config/load-config';
import { SystemClock } from '../src/core/clock';
import { createLogger } from '../src/logging/logger';
import { Redactor } from '../src/logging/redactor';
import { Journal } from '../src/state/journal';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const TOKEN = 'bench-token-0123456789abcdef';

export interface StatusUnderLoadResult {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  candlesPerSecond: number;
  speed: number;
}

export async function runStatusUnderLoadBench(requests: number, speed: number): Promise<StatusUnderLoadResult> {
  const loaded = loadConfig({
    defaultFile: path.join(ROOT, 'config', 'default.json'),
    env: {
      BOT_LOG_TO_FILE: 'false',
      BOT_CONFIG_WATCH: 'false',
      BOT_MARKET_SPEED: String(speed),
      BOT_MARKET_SIMULATED_SEED: '42',
      // RSI + MACD on 1m candles, as the README's figures were measured (the default paper bot then).
      BOT_MARKET_TIMEFRAME: '1m',
      BOT_ANALYSIS_STRATEGIES: 'rsi-mean-reversion,macd-crossover',
      BOT_MONITOR_STATUS_INTERVAL_MS: '0',
      BOT_API_ENABLED: 'true',
      BOT_API_PORT: '0',
    },
  });
  const clock = new SystemClock();
  const logger = createLogger({
    level: 'warn',
    clock,
    redactor: new Redactor([TOKEN]),
    console: { stream: new Writable({ write: (_chunk, _enc, done) => done() }), color: false },
  });
  // As the bot runs by default, with its state file (a temporary one), or with --state none (BENCH_API_STATE=none).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-api-'));
  const journal = process.env['BENCH_API_STATE'] === 'none' ? Journal.inMemory() : Journal.open(path.join(dir, 'paper.sqlite'), { keepEvents: 100_000 });
  const app = buildApp({
    loaded,
    reloadConfig: () => loaded,
    clock,
    logger,
    strategiesDir: path.join(ROOT, 'strategies'),
    seed: 42,
    ...(process.env['BENCH_API_NO_JOURNAL'] ? {} : { state: { journal, resumeAfter: 0 } }),
  });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let periods = 0;
  app.bus.subscribe('bench', 'market.period', () => {
    periods += 1;
  });
  const operations = new BotOperations({ bus: app.bus, orchestrator: app.orchestrator, ...(app.supervisor ? { supervisor: app.supervisor } : {}), clock, logger, config: loaded.config, strategies: app.strategies, requestStop: () => undefined });
  await app.orchestrator.startAll();
  const server = await startApiServer({ control: operations, bus: app.bus, settings: loaded.config.api, token: TOKEN, logger, clock });
  const url = `${server.url}/api/status`;
  const periodsBefore = periods;
  const started = performance.now();
  // The client runs in a process of its own, as a dashboard or curl does: what it measures is the bot's answer.
  delay.enable();
  const times = await clientTimes(url, requests);
  delay.disable();
  if (process.env['BENCH_API_DEBUG']) process.stdout.write(`event loop delay p50 ${delay.percentile(50) / 1e6} ms p99 ${delay.percentile(99) / 1e6} ms max ${delay.max / 1e6} ms\n`);
  const seconds = (performance.now() - started) / 1000;
  const played = periods - periodsBefore;
  await server.close();
  operations.close();
  await app.orchestrator.stopAll('bench over');
  journal.close();
  fs.rmSync(dir, { recursive: true, force: true });
  await logger.close();
  const sorted = [...times].sort((a, b) => a - b);
  return {
    requests,
    p50Ms: round(median(sorted)),
    p99Ms: round(sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? NaN),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    candlesPerSecond: Math.round((played * loaded.config.market.symbols.length) / seconds),
    speed,
  };
}

function clientTimes(url: string, requests: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'status-client.js'), url, TOKEN, String(requests)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`the status client failed: ${err}`))));
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
