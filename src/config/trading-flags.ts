/**
 * The trading options every trading command takes (paper, backtest, optimize), as the command line gives
 * them, and the config keys they set: one mapping, so the commands cannot drift apart.
 */
export interface TradingFlags {
  /** --stake: all, a quote amount, or n% of equity. */
  stake?: string;
  /** --fee: one fee for every fill, maker and taker alike. */
  fee?: string;
  slippageBps?: string;
  /** --stop-loss, in percent below the entry. */
  stopLoss?: string;
  /** --take-profit, in percent above the entry. */
  takeProfit?: string;
}

/** Config key -> the option that sets it, so a bad value is reported under the name the user typed. */
export const TRADING_FLAG_NAMES: Readonly<Record<string, string>> = {
  'trade.stake': '--stake',
  'trade.fees.maker': '--fee',
  'trade.fees.taker': '--fee',
  'trade.slippageBps': '--slippage-bps',
  'trade.stopLossPct': '--stop-loss',
  'trade.takeProfitPct': '--take-profit',
};

/** The trading options as dotted config keys; an option not given stays undefined (the config's value stands). */
export function tradingFlags(flags: TradingFlags): Record<string, string | undefined> {
  return {
    'trade.stake': flags.stake,
    'trade.fees.maker': flags.fee,
    'trade.fees.taker': flags.fee,
    'trade.slippageBps': flags.slippageBps,
    'trade.stopLossPct': flags.stopLoss,
    'trade.takeProfitPct': flags.takeProfit,
  };
}
