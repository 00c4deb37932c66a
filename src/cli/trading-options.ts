import type { Command } from 'commander';
import type { TradingFlags } from '../config/trading-flags';

/** What each trading option defaults to, as its help says it: a backtest's differ from a paper run's. */
export type TradingDefaults = Readonly<Record<keyof TradingFlags, string>>;

/** A paper or live run's defaults: config/default.json's trade.* (a config file or the environment may change them). */
export const PAPER_TRADING_DEFAULTS: TradingDefaults = {
  stake: '20%',
  fee: '0.001',
  slippageBps: '5',
  stopLoss: '5',
  takeProfit: '0',
};

/** A backtest's (backtest-config.ts): the strategy alone decides its exits unless these are given. */
export const BACKTEST_TRADING_DEFAULTS: TradingDefaults = {
  stake: 'all',
  fee: '0.001',
  slippageBps: '0',
  stopLoss: '0',
  takeProfit: '0',
};

/** Adds --stake, --fee, --slippage-bps, --stop-loss and --take-profit; tradingFlags() maps them to config keys. */
export function addTradingOptions(command: Command, defaults: TradingDefaults): Command {
  return command
    .option('--stake <all|amount|n%>', `what an entry spends: all free cash, a quote amount, or a percentage of equity (default ${defaults.stake})`)
    .option('--fee <fraction>', `fee on every fill, maker and taker, as a fraction of notional (default ${defaults.fee})`)
    .option('--slippage-bps <bps>', `market orders fill this many basis points worse (default ${defaults.slippageBps})`)
    .option('--stop-loss <pct>', `stop-loss this many percent below the entry, where the strategy sets none; 0: none (default ${defaults.stopLoss})`)
    .option('--take-profit <pct>', `take-profit this many percent above the entry, where the strategy sets none; 0: none (default ${defaults.takeProfit})`);
}
