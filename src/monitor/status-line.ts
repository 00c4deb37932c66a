import type { PortfolioSnapshot } from '../portfolio/types';

export interface StatusLineInput {
  snapshot: PortfolioSnapshot | undefined;
  startBalance: number;
  closedTrades: number;
  eventsPerSecond: number;
}

/** One line a user can glance at: equity, PnL %, open positions, trades, bus throughput. */
export function formatStatusLine({ snapshot, startBalance, closedTrades, eventsPerSecond }: StatusLineInput): string {
  const equity = snapshot?.equity ?? startBalance;
  const currency = snapshot?.quoteCurrency ?? '';
  const pnlPct = ((equity - startBalance) / startBalance) * 100;
  const open = snapshot?.positions.length ?? 0;
  return [
    `equity ${equity.toFixed(2)} ${currency}`.trimEnd(),
    `PnL ${pnlPct >= 0 ? '+' : ''}${pnlPct.toFixed(2)} %`,
    `open ${open}`,
    `trades ${closedTrades}`,
    `${Math.round(eventsPerSecond)} events/s`,
  ].join(' | ');
}
