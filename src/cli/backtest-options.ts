import { Option, type Command } from 'commander';
import { collect, type CommonOptions } from './common-options';
import type { TradingFlags } from '../config/trading-flags';
import { addTradingOptions, BACKTEST_TRADING_DEFAULTS } from './trading-options';

export interface BacktestOptions extends CommonOptions, Omit<ReplayOptions, 'strategy'> {
  /** Optional with --rebalance: a pure rebalancing backtest. */
  strategy?: string;
  rebalance?: string;
  params?: string;
  out?: string;
}

/** The options that say which candles a backtest replays and with what account: shared with `optimize`. */
export interface ReplayOptions extends TradingFlags {
  strategy: string;
  data: string[];
  symbol?: string[];
  timeframe?: string;
  from?: string;
  to?: string;
  balance?: string;
}

/** `strategyRequired`: optimize needs one; a backtest may rebalance without any (--rebalance). */
export function addReplayOptions(command: Command, strategyRequired = true): Command {
  const strategy = new Option('--strategy <name>', `strategy from strategies/, e.g. sma-cross${strategyRequired ? '' : ' (optional with --rebalance)'}`);
  const replay = command
    .addOption(strategyRequired ? strategy.makeOptionMandatory() : strategy)
    .addOption(new Option('--data <file>', 'candle file: ccxt OHLCV JSON or CSV with a header; repeat for several symbols').argParser(collect).makeOptionMandatory())
    .addOption(new Option('--symbol <symbol>', 'symbol of the --data file at the same position (default: from the file name)').argParser(collect))
    .option('--timeframe <tf>', 'timeframe of the files (default: from the file names or the timestamps)')
    .option('--from <ISO>', 'first candle to play, e.g. 2021-01-01 or 2021-01-01T12:00:00Z')
    .option('--to <ISO>', 'last candle to play')
    .option('--balance <amount>', 'starting cash in the quote currency (default 10000)');
  return addTradingOptions(replay, BACKTEST_TRADING_DEFAULTS);
}

export function addBacktestOptions(command: Command): Command {
  return addReplayOptions(command, false)
    .option('--rebalance <json or file>', 'keep target weights (portfolio.rebalance), inline JSON or a JSON file, e.g. \'{"targets":{"BTC":50,"ETH":30,"USDT":20},"thresholdPct":5}\'')
    .option('--params <json>', `strategy parameters as JSON, e.g. '{"fast":10,"slow":30}'`)
    .option('--out <dir>', 'output directory (default backtests/<strategy>-<timestamp>/)');
}
