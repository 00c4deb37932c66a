import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatedMarket } from '../../src/market/simulated-market';
import type { Candle } from '../../src/market/types';
import { runMain } from '../helpers/run-main';

const SUMMARY_FIELDS = [
  'strategy', 'symbols', 'timeframe', 'from', 'to', 'candles', 'startBalance', 'finalEquity', 'totalReturnPct', 'buyHoldReturnPct',
  'maxDrawdownPct', 'sharpe', 'sortino', 'trades', 'winRatePct', 'profitFactor', 'feesPaid', 'exposurePct', 'openPositionsAtEnd', 'gaps', 'rejectedSignals',
];

function seededCandles(symbol: string, count: number, seed: number): Candle[] {
  const market = new SimulatedMarket({ seed, symbols: [symbol], timeframe: '1h', startTime: Date.UTC(2023, 0, 1), ticksPerCandle: 6 });
  const candles: Candle[] = [];
  while (candles.length < count) for (const e of market.next()) if (e.kind === 'candle') candles.push(e.candle);
  return candles;
}

function writeFiles(): { dir: string; btc: string; eth: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-cli-'));
  const btc = path.join(dir, 'BTC_USDT-1h.json');
  // A gap of 5 candles in BTC, to be reported.
  const btcCandles = seededCandles('BTC/USDT', 1200, 11).filter((_, i) => i < 600 || i >= 605);
  fs.writeFileSync(btc, JSON.stringify(btcCandles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume])));
  const eth = path.join(dir, 'ETH-USDT_1h.csv');
  const ethRows = seededCandles('ETH/USDT', 1000, 12).map((c) => `${new Date(c.time).toISOString()},${c.open},${c.high},${c.low},${c.close},${c.volume}`);
  fs.writeFileSync(eth, `Date,Open,High,Low,Close,Volume\n${ethRows.reverse().join('\n')}\n`);
  return { dir, btc, eth };
}

describe('backtest command', () => {
  it('replays two files in one account and writes summary, trades, equity and an offline report', async () => {
    const { dir, btc, eth } = writeFiles();
    const out = path.join(dir, 'out');
    const run = await runMain(['backtest', '--strategy', 'sma-cross', '--data', btc, '--data', eth, '--fee', '0.001', '--stake', '50%', '--params', '{"fast":8,"slow":21}', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 gap(s) in BTC/USDT, 5 candles missing');
    expect(run.stdout).toMatch(/Sharpe ratio\s+-?\d+\.\d\d/);
    expect(run.stdout).toContain('wrote summary.json, trades.csv, equity.csv, report.html');
    expect(run.stdout).toMatch(/took: loading \d+\.\d\d s, playing \d+\.\d\d s(, [\d,]+ candles\/s)?, outputs \d+\.\d\d s\n$/);

    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual([...SUMMARY_FIELDS].sort());
    expect(summary).toMatchObject({ strategy: 'sma-cross', symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1h', startBalance: 10000, from: '2023-01-01T00:00:00.000Z' });
    expect(summary['gaps']).toEqual([{ symbol: 'BTC/USDT', from: '2023-01-25T23:00:00.000Z', to: '2023-01-26T05:00:00.000Z', missing: 5 }]);
    expect(summary['trades']).toBeGreaterThan(10);

    const trades = fs.readFileSync(path.join(out, 'trades.csv'), 'utf8').trimEnd().split('\n');
    expect(trades[0]).toBe('symbol,entryTime,exitTime,side,qty,entryPrice,exitPrice,fees,pnl,pnlPct,exitReason,strategy');
    expect(trades).toHaveLength(Number(summary['trades']) + 1);
    const equity = fs.readFileSync(path.join(out, 'equity.csv'), 'utf8').split('\n');
    expect(equity[0]).toBe('time,equity,drawdown');
    expect(equity[1]).toMatch(/^2023-01-01T00:00:00\.000Z,10000,0$/);
    const report = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(report).toContain('createChart');
    expect(report).not.toMatch(/<script[^>]+src=/);
  });

  it("applies Binance's minimum order to a binance_ file and says when the account fell below it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-cli-'));
    const file = path.join(dir, 'binance_BTC-USDT_1h_2023.json');
    // sma-cross 1/2 enters on candle 4's rise at candle 5's open 101 and leaves at candle 6's open 60: 6 USDT
    // become 3.56, under Binance's 5, and the entry signals of candles 7 and 9 are refused.
    const closes = [100, 100, 100, 101, 60, 60, 61, 60, 61, 61];
    const rows = closes.map((close, i) => {
      const open = closes[i - 1] ?? close;
      return [Date.UTC(2023, 0, 1, i), open, Math.max(open, close), Math.min(open, close), close, 1];
    });
    fs.writeFileSync(file, JSON.stringify(rows));
    const out = path.join(dir, 'out');
    const run = await runMain(['backtest', '--strategy', 'sma-cross', '--data', file, '--balance', '6', '--params', '{"fast":1,"slow":2}', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("from 2023-01-01T07:00:00Z the account's free cash (3.56 USDT) was below trade.minNotional (5 USDT): 2 entry signals were refused\n");
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ trades: 1, rejectedSignals: { risk: 2 }, belowMinNotional: { from: '2023-01-01T07:00:00.000Z', minNotional: 5, count: 2 } });
  });

  it('refuses a bad candle file with one sentence naming the file and line, exit 2', async () => {
    const { dir } = writeFiles();
    const bad = path.join(dir, 'BTC_USDT-1h.csv');
    fs.writeFileSync(bad, 'time,open,high,low,close\n2023-01-01T00:00:00Z,100,101,99,100\n2023-01-01T01:00:00Z,100,98,99,100\n');
    const run = await runMain(['backtest', '--strategy', 'sma-cross', '--data', bad]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*BTC_USDT-1h\.csv line 3: /);
  });

  it('refuses a missing --strategy, an unknown strategy and bad --params with exit 2', async () => {
    const { btc } = writeFiles();
    expect((await runMain(['backtest', '--data', btc])).code).toBe(2);
    const unknown = await runMain(['backtest', '--strategy', 'nope', '--data', btc]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/strategy "nope" not found/);
    const params = await runMain(['backtest', '--strategy', 'sma-cross', '--data', btc, '--params', '{"fast":40,"slow":20}']);
    expect(params.code).toBe(2);
    expect(params.stderr).toContain('slow (20) must be greater than fast (40)');
  });
});

describe('backtest --from and --to', () => {
  it('plays only the candles inside the range, a date alone as --to meaning that whole day', async () => {
    const { dir, btc } = writeFiles();
    const out = path.join(dir, 'ranged');
    const run = await runMain(['backtest', '--strategy', 'sma-cross', '--data', btc, '--from', '2023-01-10', '--to', '2023-01-20', '--out', out]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    // 2023-01-10T00:00 to 2023-01-20T23:00: 11 days of hourly candles.
    expect(summary).toMatchObject({ from: '2023-01-10T00:00:00.000Z', to: '2023-01-20T23:00:00.000Z', candles: 11 * 24 });
    const bad = await runMain(['backtest', '--strategy', 'sma-cross', '--data', btc, '--from', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "yesterday" is not a date or time/);
  });
});
