import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunOutputStream } from '../../../src/cli/run-output-stream';
import { runSummaryJson } from '../../../src/cli/write-run-outputs';
import type { RunSummary } from '../../../src/portfolio/summary';
import { tradesCsv } from '../../../src/portfolio/trades-csv';
import type { ClosedTrade } from '../../../src/portfolio/types';

const trade = (n: number, strategy = 'sma-cross'): ClosedTrade => ({
  symbol: 'BTC/USDT',
  entryTime: Date.UTC(2024, 0, 1, n),
  exitTime: Date.UTC(2024, 0, 1, n, 30),
  side: 'long',
  qty: 0.1 + 0.2 * n,
  entryPrice: 42_000.5 + n,
  exitPrice: 41_000,
  fees: 0.012345678901234,
  pnl: -300.15 * n,
  pnlPct: -2.380952380952381,
  exitReason: 'stop-loss',
  strategy,
});

const summary = (trades: number): RunSummary => ({
  quoteCurrency: 'USDT', startBalance: 10_000, finalEquity: 9_990, cash: 9_990, positionsValue: 0, totalReturnPct: -0.1, realizedPnl: -10,
  trades, winners: 0, winRatePct: 0, feesPaid: 1, maxDrawdownPct: 0.2, candles: 50, openPositions: 0,
});

const EXTRA = { seed: 7, symbols: ['BTC/USDT'], timeframe: '1m', strategies: ['sma-cross'] };

describe('RunOutputStream', () => {
  let dir: string;
  let out: string;
  const read = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-output-stream-'));
    out = path.join(dir, 'runs', 'one');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the directory and trades.csv at once, and appends each trade as the final file would have it', () => {
    const stream = RunOutputStream.open(out, [], EXTRA);
    expect(read('trades.csv')).toBe(tradesCsv([]));
    stream.appendTrade(trade(1));
    // Read while open: nothing is held back in the process.
    expect(read('trades.csv')).toBe(tradesCsv([trade(1)]));
    stream.appendTrade(trade(2, 'manual, "panic"\nsell'));
    expect(read('trades.csv')).toBe(tradesCsv([trade(1), trade(2, 'manual, "panic"\nsell')]));
    stream.close();
  });

  it("starts from a resumed run's earlier trades, replacing what a killed run left", () => {
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'trades.csv'), tradesCsv([trade(1), trade(2), trade(3)]));
    const stream = RunOutputStream.open(out, [trade(1)], EXTRA);
    stream.appendTrade(trade(4));
    expect(read('trades.csv')).toBe(tradesCsv([trade(1), trade(4)]));
    stream.close();
  });

  it('replaces summary.json whole, leaving no temporary file', () => {
    const stream = RunOutputStream.open(out, [], EXTRA);
    stream.writeSummary(summary(1));
    stream.writeSummary(summary(2));
    expect(read('summary.json')).toBe(runSummaryJson(summary(2), EXTRA));
    expect(JSON.parse(read('summary.json'))).toMatchObject({ trades: 2, seed: 7, strategies: ['sma-cross'] });
    expect(fs.readdirSync(out).sort()).toEqual(['summary.json', 'trades.csv']);
    stream.close();
  });

  it('ends with the final files, which a late summary no longer overwrites', () => {
    const stream = RunOutputStream.open(out, [], EXTRA);
    stream.appendTrade(trade(1));
    const written = stream.finish({ summary: summary(2), closedTrades: [trade(1), trade(2)] });
    expect(written).toEqual([path.join(out, 'summary.json'), path.join(out, 'trades.csv')]);
    stream.writeSummary(summary(1));
    stream.appendTrade(trade(3));
    expect(read('summary.json')).toBe(runSummaryJson(summary(2), EXTRA));
    expect(read('trades.csv')).toBe(tradesCsv([trade(1), trade(2)]));
  });
});
