import fs from 'node:fs';
import path from 'node:path';
import { csvTable, isoTime } from '../core/csv';
import { tradesCsv } from '../portfolio/trades-csv';
import { openOrders, positionRows, type StateReport } from './state-report';

const text = (value: number | undefined): string => (value === undefined ? '' : String(value));

/**
 * `state export`: the state file's contents as files anything can read, written into `dir` (created):
 * account.json (the run's facts and the books), positions.csv, open-orders.csv, trades.csv and
 * events.jsonl (every journal event kept). Returns the paths written.
 */
export function exportState(report: StateReport, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: Array<[string, string]> = [
    ['account.json', `${JSON.stringify({ file: report.file, run: report.meta, books: report.books ?? null }, null, 2)}\n`],
    [
      'positions.csv',
      csvTable(
        ['symbol', 'qty', 'avgEntry', 'entryTime', 'lastPrice', 'unrealizedPnl', 'stopLoss', 'takeProfit'],
        positionRows(report).map((p) => [p.symbol, String(p.qty), String(p.avgEntry), isoTime(p.entryTime), String(p.lastPrice), String(p.unrealizedPnl), text(p.stopLoss), text(p.takeProfit)]),
      ),
    ],
    [
      'open-orders.csv',
      csvTable(
        ['clientOrderId', 'symbol', 'side', 'type', 'qty', 'quoteAmount', 'limitPrice', 'reason', 'origin', 'createdAt'],
        openOrders(report).map((o) => [o.clientOrderId, o.symbol, o.side, o.type, text(o.qty), text(o.quoteAmount), text(o.limitPrice), o.reason, o.origin, isoTime(o.createdAt)]),
      ),
    ],
    ['trades.csv', tradesCsv(report.trades)],
    ['events.jsonl', report.events.map((e) => `${JSON.stringify({ seq: e.seq, time: isoTime(e.time), kind: e.kind, data: e.data })}\n`).join('')],
  ];
  return files.map(([name, content]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  });
}
