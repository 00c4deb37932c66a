import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EQUITY_THREAD_FROM_POINTS } from '../../src/backtest/equity-csv-thread';
import { BUNDLED_LIBRARIES } from '../../src/boot/bundled-libraries';
import { readBuildInfo, staleBecause } from '../../src/boot/compiled-build';
import { PROJECT_ROOT, quietEnv, runMain } from '../helpers/run-main';

const info = readBuildInfo(PROJECT_ROOT);
const stale = info === undefined ? 'there is no dist/ (npm run build makes it)' : staleBecause(PROJECT_ROOT, info);
// CI builds dist/ at npm ci (prepare) and sets BOT_REQUIRE_BUILD, so these run there; a developer who edited
// a source since the last build runs from the sources anyway, which the rest of the suite covers.
const describeWithBuild = stale === undefined || process.env['BOT_REQUIRE_BUILD'] === '1' ? describe : describe.skip;

/** `length` (3,000 unless told) seeded 5m candles that make sma-cross trade. */
function candleFile(dir: string, length = 3000): string {
  let seed = 42;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  let price = 20_000;
  const rows = Array.from({ length }, (_, i) => {
    const open = price;
    price = Math.max(1000, price * (1 + (random() - 0.5) * 0.01 + Math.sin(i / 40) * 0.002));
    const high = Math.max(open, price) * (1 + random() * 0.002);
    const low = Math.min(open, price) * (1 - random() * 0.002);
    return [Date.UTC(2024, 0, 1) + i * 300_000, +open.toFixed(2), +high.toFixed(2), +low.toFixed(2), +price.toFixed(2), +(random() * 100).toFixed(5)];
  });
  const file = path.join(dir, `BTC_USDT-5m-${length}.json`);
  fs.writeFileSync(file, JSON.stringify(rows));
  return file;
}

describeWithBuild('the compiled build in dist/', () => {
  it('is fresh here', () => {
    expect(stale).toBeUndefined();
  });

  it('runs a backtest to the very files the sources write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-build-'));
    const data = candleFile(dir);
    const args = ['backtest', '--strategy', 'sma-cross', '--data', data];
    const fromSources = await runMain([...args, '--out', path.join(dir, 'sources')], quietEnv());
    expect(fromSources.code).toBe(0);
    const compiled = spawnSync(process.execPath, ['dist/src/main.js', ...args, '--out', path.join(dir, 'compiled')], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), ...quietEnv() },
      encoding: 'utf8',
    });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    const trades = fs.readFileSync(path.join(dir, 'sources', 'trades.csv'), 'utf8');
    expect(trades.split('\n').length).toBeGreaterThan(5);
    for (const file of ['summary.json', 'trades.csv', 'equity.csv', 'report.html']) {
      expect(fs.readFileSync(path.join(dir, 'compiled', file), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'sources', file), 'utf8'));
    }
  });

  it('writes a long run\'s equity.csv on a thread of its own, the very bytes the sources write without one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-build-'));
    const data = candleFile(dir, EQUITY_THREAD_FROM_POINTS + 1000);
    const args = ['backtest', '--strategy', 'sma-cross', '--data', data];
    const fromSources = await runMain([...args, '--out', path.join(dir, 'sources')], quietEnv());
    expect(fromSources.code).toBe(0);
    // Notes each thread the compiled bot starts: the sources (here, under Jest) start none.
    const probe = path.join(dir, 'probe.js');
    const started = path.join(dir, 'threads.txt');
    fs.writeFileSync(probe, `const wt = require('node:worker_threads'); const W = wt.Worker;\nwt.Worker = class extends W { constructor(file, options) { super(file, options); require('node:fs').appendFileSync(${JSON.stringify(started)}, file + '\\n'); } };\n`);
    const compiled = spawnSync(process.execPath, ['-r', probe, 'dist/src/main.js', ...args, '--out', path.join(dir, 'compiled')], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), ...quietEnv() },
      encoding: 'utf8',
    });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    expect(fs.readFileSync(started, 'utf8').trim().split('\n').map((file) => path.basename(file))).toEqual(['equity-csv-worker.js']);
    expect(fs.readFileSync(path.join(dir, 'compiled', 'equity.csv')).equals(fs.readFileSync(path.join(dir, 'sources', 'equity.csv')))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'compiled', 'report.html')).equals(fs.readFileSync(path.join(dir, 'sources', 'report.html')))).toBe(true);
  });

  it('fails the outputs with one sentence naming equity.csv when its thread cannot write it', () => {
    const script = `
      const { writeEquityCsvInThread } = require('./dist/src/backtest/equity-csv-thread.js');
      const n = ${EQUITY_THREAD_FROM_POINTS};
      const shared = () => new Float64Array(new SharedArrayBuffer(n * 8));
      const columns = { length: n, time: shared(), equity: shared().fill(1), drawdownPct: shared() };
      writeEquityCsvInThread('/nonexistent-dir/equity.csv', columns).then(() => console.log('written'), (err) => console.log(err.message));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^writing \/nonexistent-dir\/equity\.csv failed: .*ENOENT.*\n$/);
  });

  it('is what npx ts-node src/main.ts runs: the bot\'s modules come from dist/, none from src/ but the entry, and the bundled libraries from their bundles', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-build-'));
    const probe = path.join(dir, 'probe.js');
    fs.writeFileSync(probe, `process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));\n`);
    const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '-r', probe, 'src/main.ts', 'strategies'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), ...quietEnv() },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('sma-cross');
    const all = (JSON.parse(run.stderr) as string[]).map((file) => path.relative(PROJECT_ROOT, file));
    const loaded = all.filter((file) => !file.startsWith('node_modules'));
    expect(loaded).toContain(path.join('dist', 'src', 'cli', 'main.js'));
    expect(loaded.filter((file) => file.startsWith(`src${path.sep}`)).sort()).toEqual(
      [path.join('src', 'main.ts'), path.join('src', 'boot', 'bundled-libraries.ts'), path.join('src', 'boot', 'compiled-build.ts')].sort(),
    );
    // Listing the strategies loads them, and with them the indicators they import; the logger, the command
    // line and the config load on every start.
    const bundles = ['trading-signals', 'winston', 'commander', 'convict'].map((name) => path.join('dist', 'vendor', `${name}.cjs`));
    expect(loaded).toEqual(expect.arrayContaining(bundles));
    for (const name of BUNDLED_LIBRARIES) expect(all.filter((file) => file.startsWith(path.join('node_modules', name) + path.sep))).toEqual([]);
  });
});
