export interface StatusLineInput {
  equity: number;
  quoteCurrency: string;
  openPositions: number;
  startBalance: number;
  closedTrades: number;
  eventsPerSecond: number;
}

/** One line a user can glance at: equity, PnL %, open positions, trades, bus throughput. */
export function formatStatusLine(input: StatusLineInput): string {
  const { equity, quoteCurrency, openPositions, startBalance, closedTrades, eventsPerSecond } = input;
  const pnlPct = ((equity - startBalance) / startBalance) * 100;
  return [
    `equity ${equity.toFixed(2)} ${quoteCurrency}`.trimEnd(),
    `PnL ${pnlPct >= 0 ? '+' : ''}${pnlPct.toFixed(2)} %`,
    `open ${openPositions}`,
    `trades ${closedTrades}`,
    `${Math.round(eventsPerSecond)} events/s`,
  ].join(' | ');
}
