/**
 * End to end: whole `backtest` commands as a user runs them, each a child process timed by the wall clock,
 * with every output written. Beside them, in the same rounds, plain `node` reading and JSON.parse-ing the same
 * file: the floor any backtester that reads this file has to stand on.
 *
 * The candles are real ones (../shared/data's Binance BTC/USDT 5m file) repeated with shifted times, or, on a
 * machine without that folder, the generated market's. The files are written once into the system's temp
 * folder and reused.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readBuildInfo, staleBecause } from '../src/boot/compiled-build';
import { benchSymbols, ccxtJson, generatedSeries } from './backtest.bench';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const REAL_FILE = path.resolve(ROOT, '..', 'shared', 'data', 'binance_BTC-USDT_5m_2021.json');
const WORK = path.join(os.tmpdir(), 'agent-trader-e2e');
const PROBE = path.join(__dirname, 'peak-rss-probe.js');
const TS_NODE = require.resolve('ts-node/dist/bin.js');
const NPX = 'npx';

type Row = [number, number, number, number, number, number];

/**
 * Named as downloaded Binance files are, so the backtest applies the exchange's minimum order as a user's run
 * of such a file would (without an exchange in the name the minimum is 0, and an account sma-cross has run
 * down goes on trading dust, a different run). The ten big files hold the same candles under ten symbols.
 */
const TEN_BASES = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP', 'ADA', 'DOGE', 'LTC', 'DOT', 'LINK'];

/** The source candles: the real file's rows, or 65,741 generated 5m ones when it is not here. */
function sourceRows(): { rows: Row[]; origin: string } {
  if (fs.existsSync(REAL_FILE)) return { rows: JSON.parse(fs.readFileSync(REAL_FILE, 'utf8')) as Row[], origin: path.relative(ROOT, REAL_FILE) };
  const [series] = generatedSeries(benchSymbols(1), 65_741);
  const c = series!.candles;
  return { rows: Array.from({ length: c.length }, (_, i): Row => [c.time[i]!, c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!]), origin: 'the generated market' };
}

/** `count` candles of the source, repeated end to end with times shifted on, as a ccxt JSON file. */
function repeatedFile(name: string, count: number, source: { rows: Row[] }): string {
  const file = path.join(WORK, name);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(WORK, { recursive: true });
  const rows = source.rows;
  const step = rows[1]![0] - rows[0]![0];
  const span = rows[rows.length - 1]![0] - rows[0]![0] + step;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rows[i % rows.length]!;
    lines.push(`[${r[0] + Math.floor(i / rows.length) * span},${r[1]},${r[2]},${r[3]},${r[4]},${r[5]}]`);
  }
  fs.writeFileSync(`${file}.part`, `[${lines.join(',')}]`);
  fs.renameSync(`${file}.part`, file);
  return file;
}

interface CommandRun {
  seconds: number;
  peakRssMb: number;
  /** The command's own "took:" line, split into its parts. */
  phases: { loading: number; playing: number; outputs: number } | undefined;
}

/** One child process, timed from spawn to exit; its peak RSS from the probe it loads (the largest of its node processes). */
function timed(command: string, args: string[], env: Record<string, string> = {}): CommandRun {
  const started = performance.now();
  const run = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, BOT_LOG_TO_FILE: 'false', BOT_STATE_FILE: 'none', NODE_OPTIONS: `-r ${PROBE}`, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const peaks = [...run.stderr.matchAll(/peak-rss-kb (\d+)/g)].map((m) => Number(m[1]));
  const took = /took: loading ([\d.]+) s, playing ([\d.]+) s.*outputs ([\d.]+) s/.exec(run.stdout);
  return {
    seconds: round(seconds, 3),
    peakRssMb: round(Math.max(0, ...peaks) / 1024, 1),
    phases: took ? { loading: Number(took[1]), playing: Number(took[2]), outputs: Number(took[3]) } : undefined,
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function medianRun(runs: CommandRun[]): CommandRun {
  const phase = (key: 'loading' | 'playing' | 'outputs'): number => median(runs.map((r) => r.phases?.[key] ?? NaN));
  return {
    seconds: round(median(runs.map((r) => r.seconds)), 3),
    peakRssMb: round(median(runs.map((r) => r.peakRssMb)), 1),
    phases: runs[0]?.phases ? { loading: phase('loading'), playing: phase('playing'), outputs: phase('outputs') } : undefined,
  };
}

/** The forms of the command: the documented one, and the compiled build run by node directly. */
function forms(): Record<string, (args: string[]) => [string, string[]]> {
  const info = readBuildInfo(ROOT);
  const fresh = info !== undefined && staleBecause(ROOT, info) === undefined;
  if (!fresh) process.stderr.write('e2e: dist/ is missing or older than the sources; run npm run build for the compiled figures\n');
  return {
    'npx ts-node src/main.ts': (args) => [NPX, ['ts-node', 'src/main.ts', ...args]],
    ...(fresh ? { 'node dist/src/main.js': (args: string[]): [string, string[]] => [process.execPath, ['dist/src/main.js', ...args]] } : {}),
  };
}

export async function runE2eBench(): Promise<Record<string, unknown>> {
  const rounds = Number(process.env['BENCH_E2E_ROUNDS'] ?? 5);
  const source = sourceRows();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-out-'));
  const commands = forms();
  const backtest = (files: string[]): string[] => ['backtest', '--strategy', 'sma-cross', ...files.flatMap((f) => ['--data', f]), '--out', out];

  // 1. 657,410 candles, one file, against node reading and parsing it.
  const big = repeatedFile('binance_BTC-USDT_5m_657410.json', 657_410, source);
  const parse = (): CommandRun => timed(process.execPath, ['-e', `JSON.parse(require('node:fs').readFileSync(${JSON.stringify(big)}, 'utf8'))`]);
  const single: Record<string, CommandRun[]> = { 'node JSON.parse': [] };
  for (const name of Object.keys(commands)) single[name] = [];
  for (let r = 0; r < rounds; r++) {
    single['node JSON.parse']!.push(parse());
    for (const [name, form] of Object.entries(commands)) single[name]!.push(timed(...form(backtest([big]))));
  }
  const singleMedians = Object.fromEntries(Object.entries(single).map(([name, runs]) => [name, medianRun(runs)]));
  // The ratio per round, then its median: both sides of a round saw the same machine.
  const ratios = Object.fromEntries(
    Object.keys(commands).map((name) => [name, round(median(single[name]!.map((run, i) => run.seconds / single['node JSON.parse']![i]!.seconds)), 2)]),
  );

  // 2. Start to the first candle: a backtest of 100 candles, outputs and all (an upper bound).
  const small = repeatedFile('binance_BTC-USDT_5m_100.json', 100, source);
  const start: Record<string, number> = {};
  for (const [name, form] of Object.entries(commands)) start[name] = round(median(Array.from({ length: rounds }, () => timed(...form(backtest([small]))).seconds)), 3);
  const npxAlone = round(
    median(Array.from({ length: rounds }, () => timed(NPX, ['ts-node', '--version']).seconds - timed(process.execPath, [TS_NODE, '--version']).seconds)),
    3,
  );

  // 3. Ten files of 1,000,000 candles each (the same candles under ten symbols), all outputs.
  const tenMillion = Number(process.env['BENCH_E2E_BIG_CANDLES'] ?? 1_000_000);
  const files = TEN_BASES.map((base) => repeatedFile(`binance_${base}-USDT_5m_${tenMillion}.json`, tenMillion, source));
  const bigRounds = Number(process.env['BENCH_E2E_BIG_ROUNDS'] ?? rounds);
  const ten: Record<string, CommandRun> = {};
  for (const [name, form] of Object.entries(commands)) ten[name] = medianRun(Array.from({ length: bigRounds }, () => timed(...form(backtest(files)))));
  fs.rmSync(out, { recursive: true, force: true });
  return {
    origin: source.origin,
    rounds,
    candles657k: { medians: singleMedians, ratioToJsonParse: ratios },
    startToFirstCandleSeconds: start,
    npxAloneSeconds: npxAlone,
    tenFiles: { candlesPerFile: tenMillion, rounds: bigRounds, medians: ten },
  };
}

/** A readable table of what runE2eBench measured. */
export function describeE2e(r: Awaited<ReturnType<typeof runE2eBench>>): string {
  const single = r['candles657k'] as { medians: Record<string, CommandRun>; ratioToJsonParse: Record<string, number> };
  const start = r['startToFirstCandleSeconds'] as Record<string, number>;
  const ten = r['tenFiles'] as { candlesPerFile: number; rounds: number; medians: Record<string, CommandRun> };
  const phases = (run: CommandRun): string => (run.phases ? ` (loading ${run.phases.loading} s, playing ${run.phases.playing} s, outputs ${run.phases.outputs} s)` : '');
  const lines = [`end-to-end backtest commands (sma-cross, all four outputs), candles from ${String(r['origin'])}, medians of ${String(r['rounds'])}:`];
  for (const [name, run] of Object.entries(single.medians)) {
    const ratio = single.ratioToJsonParse[name];
    const goals = ratio === undefined ? '' : `, ${ratio} x JSON.parse${run.seconds <= 1.2 ? '' : ' (above the 1.2 s goal)'}${ratio <= 1.5 ? '' : ' (above the 1.5 x goal)'}`;
    lines.push(`  657,410 candles, ${name}: ${run.seconds} s, peak RSS ${run.peakRssMb} MB${phases(run)}${goals}`);
  }
  for (const [name, seconds] of Object.entries(start)) lines.push(`  start to first candle (a whole 100-candle backtest), ${name}: ${seconds} s${seconds <= 0.4 ? '' : ' (above the 0.4 s goal)'}`);
  lines.push(`  of which npx itself (npx ts-node --version less node ts-node --version): ${String(r['npxAloneSeconds'])} s`);
  for (const [name, run] of Object.entries(ten.medians)) {
    lines.push(
      `  10 x ${ten.candlesPerFile.toLocaleString('en-US')} candles, ${name}, median of ${ten.rounds}: ${run.seconds} s${run.seconds <= 8 ? '' : ' (above the 8 s goal)'}, ` +
        `peak RSS ${run.peakRssMb} MB${run.peakRssMb <= 800 ? '' : ' (above the 800 MB goal)'}${phases(run)}`,
    );
    if (run.phases) {
      const perFile = round(run.phases.loading / 10, 3);
      lines.push(`  loading one file of ${ten.candlesPerFile.toLocaleString('en-US')} candles, ${name}: ${perFile} s${perFile <= 1 ? '' : ' (above the 1 s goal)'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
