/** paper and backtest take the same trading options: --stake, --fee, --slippage-bps, --stop-loss, --take-profit. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatedMarket } from '../../src/market/simulated-market';
import type { Candle } from '../../src/market/types';
import { runMain } from '../helpers/run-main';

const RUN = ['paper', '--candles', '400', '--seed', '3', '--speed', '2000'];

describe('paper trading options', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paper-trading-options-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--stake 5% sizes every entry at 5 % of the equity', async () => {
    const run = await runMain([...RUN, '--stake', '5%', '--fee', '0.002', '--out', dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = fs.readFileSync(path.join(dir, 'trades.csv'), 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split(','));
    expect(rows.length).toBeGreaterThan(5);
    // The equity stays within a few percent of the 10,000 start here: 5 % of it is 500 less the entry fee.
    for (const [, , , , qty, entryPrice] of rows) expect(Number(qty) * Number(entryPrice)).toBeGreaterThan(470);
    for (const [, , , , qty, entryPrice] of rows) expect(Number(qty) * Number(entryPrice)).toBeLessThan(510);
    // --fee 0.002: a round trip of ~500 pays about 2 x 0.002 x 500.
    for (const [, , , , , , , fees] of rows) expect(Number(fees)).toBeCloseTo(2, 0);
  });

  it('a bad value is one sentence naming the option, exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--stake', 'lots'], /^error: Invalid value "lots" for trade\.stake from --stake: .*\.$/],
      [['--fee', '0.5'], /^error: Invalid value 0\.5 for trade\.fees\.maker from --fee: .*\.$/],
      [['--slippage-bps', 'some'], /^error: Invalid value "some" for trade\.slippageBps from --slippage-bps: .*\.$/],
      [['--stop-loss', '-1'], /^error: Invalid value -1 for trade\.stopLossPct from --stop-loss: .*\.$/],
      [['--take-profit', 'high'], /^error: Invalid value "high" for trade\.takeProfitPct from --take-profit: .*\.$/],
    ];
    for (const [argv, expected] of cases) {
      const run = await runMain([...RUN, ...argv]);
      expect({ argv, code: run.code, stdout: run.stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(run.stderr.trimEnd()).toMatch(expected);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

// ema-crossover sets no exit levels of its own; sma-cross sets its params' only when they are above 0.
describe('backtest --stop-loss and --take-profit', () => {
  let dir: string;
  let data: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-trading-options-'));
    data = path.join(dir, 'BTC_USDT-1h.json');
    const market = new SimulatedMarket({ seed: 5, symbols: ['BTC/USDT'], timeframe: '1h', startTime: Date.UTC(2023, 0, 1), ticksPerCandle: 6 });
    const candles: Candle[] = [];
    while (candles.length < 1500) for (const e of market.next()) if (e.kind === 'candle') candles.push(e.candle);
    fs.writeFileSync(data, JSON.stringify(candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume])));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function tradesCsv(strategy: string, extra: string[]): Promise<string> {
    const out = path.join(dir, `out-${strategy}-${extra.join('').replace(/[^\w.-]/g, '')}`);
    const run = await runMain(['backtest', '--strategy', strategy, '--data', data, '--out', out, ...extra]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return fs.readFileSync(path.join(out, 'trades.csv'), 'utf8');
  }

  async function exitReasons(extra: string[], strategy = 'ema-crossover'): Promise<Set<string>> {
    const rows = (await tradesCsv(strategy, extra)).trimEnd().split('\n').slice(1);
    return new Set(rows.map((row) => row.split(',')[10]!));
  }

  it('exit on the strategy\'s signals alone by default, and also at the asked levels when given', async () => {
    expect([...(await exitReasons([]))]).toEqual(['signal']);
    const reasons = await exitReasons(['--stop-loss', '0.5', '--take-profit', '1']);
    expect(reasons.has('stop-loss')).toBe(true);
    expect(reasons.has('take-profit')).toBe(true);
  });

  it('give sma-cross the stop its own parameter would', async () => {
    const byFlag = await tradesCsv('sma-cross', ['--stop-loss', '0.5']);
    expect(byFlag).toContain(',stop-loss');
    expect(byFlag).toBe(await tradesCsv('sma-cross', ['--params', '{"stopLossPct":0.5}']));
  });
});
