import { Option, type Command } from 'commander';
import { UserError } from '../core/errors';
import { splitSymbol } from '../market/symbols';
import { isTimeframe, TIMEFRAMES } from '../market/timeframe';
import { collect, type CommonOptions } from './common-options';
import { parseTimeFlag } from './time-flag';

export interface DownloadOptions extends CommonOptions {
  exchange?: string;
  symbol: string[];
  timeframe: string;
  from?: string;
  to?: string;
  out?: string;
  exchangeUrl?: string;
}

/** The download command line, checked. */
export interface DownloadSettings {
  /** As given; the config's exchange.name when absent. */
  exchange?: string;
  symbols: string[];
  timeframe: string;
  from?: number;
  to?: number;
  out: string;
  exchangeUrl?: string;
}

export function addDownloadOptions(command: Command): Command {
  return command
    .option('--exchange <id>', 'ccxt id of the exchange, e.g. binance (default: exchange.name of the config)')
    .addOption(new Option('--symbol <symbol>', 'market to download, e.g. BTC/USDT; repeat it, or separate with commas').argParser(collect).makeOptionMandatory())
    .requiredOption('--timeframe <tf>', `candle timeframe: ${TIMEFRAMES.join(', ')}`)
    .option('--from <ISO>', 'first candle, e.g. 2024-01-01 (default: resume the existing file)')
    .option('--to <ISO>', 'last candle; a date alone includes that day (default: the last closed candle)')
    .option('--out <dir>', 'directory of the candle files (default data/)')
    .option('--exchange-url <url>', 'send the requests to this base URL instead, e.g. a local fake exchange');
}

export function parseDownloadOptions(options: DownloadOptions): DownloadSettings {
  const symbols = [...new Set(options.symbol.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''))];
  if (symbols.length === 0) throw new UserError('--symbol is empty; name a market like BTC/USDT');
  for (const symbol of symbols) splitSymbol(symbol);
  if (!isTimeframe(options.timeframe)) throw new UserError(`--timeframe "${options.timeframe}" is not one of ${TIMEFRAMES.join(', ')}`);
  const from = options.from === undefined ? undefined : parseTimeFlag('--from', options.from);
  const to = options.to === undefined ? undefined : parseTimeFlag('--to', options.to, { wholeDay: true });
  if (from !== undefined && to !== undefined && to < from) throw new UserError(`--to ${options.to} is before --from ${options.from}`);
  return {
    ...(options.exchange !== undefined && { exchange: options.exchange }),
    symbols,
    timeframe: options.timeframe,
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    out: options.out ?? 'data',
    ...(options.exchangeUrl !== undefined && { exchangeUrl: options.exchangeUrl }),
  };
}
