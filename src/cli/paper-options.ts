import type { Command } from 'commander';
import type { CommonOptions } from './common-options';
import { commonOptionFlags } from './common-options';
import { TRADING_FLAG_NAMES, tradingFlags, type TradingFlags } from '../config/trading-flags';
import { addTradingOptions, PAPER_TRADING_DEFAULTS } from './trading-options';

/** Options of the paper command; each maps onto a config key (flags are the strongest config source). */
export interface PaperOptions extends CommonOptions, TradingFlags {
  symbols?: string;
  timeframe?: string;
  strategy?: string;
  balance?: string;
  speed?: string;
  seed?: string;
  candles?: string;
  out?: string;
  source?: string;
  exchange?: string;
  exchangeUrl?: string;
  live?: boolean;
  state?: string;
  fresh?: boolean;
  /** `--api` alone: true; `--api 9000`: the port. */
  api?: boolean | string;
  role?: string;
  bus?: string;
  node?: string;
}

export function addPaperOptions(command: Command): Command {
  return addTradingOptions(command, PAPER_TRADING_DEFAULTS)
    .option('--symbols <list>', 'symbols to trade, comma-separated (default BTC/USDT,ETH/USDT)')
    .option('--timeframe <tf>', 'candle timeframe: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w (default 1m)')
    .option('--strategy <names>', 'strategies from strategies/, comma-separated (default rsi-mean-reversion,macd-crossover)')
    .option('--balance <amount>', 'starting cash in the quote currency (default 10000)')
    .option('--speed <n|realtime>', 'simulated candles per second, or realtime (default 10)')
    .option('--seed <n>', 'seed of the simulated market: the same seed and --candles give the same trades')
    .option('--candles <n>', 'stop after this many candles')
    .option('--out <dir>', 'keep summary.json and trades.csv in this directory: updated as the run goes, final at the end')
    .option('--source <source>', 'market data: simulated (default) or exchange (live public data, no API key)')
    .option('--exchange <id>', 'ccxt id of the exchange for --source exchange and live trading (default binance)')
    .option('--exchange-url <url>', 'send every exchange request to this base URL instead, e.g. the fake exchange')
    .option('--live', 'trade real money on the exchange; also needs "mode": "live" in the config and API keys in the environment')
    .option('--state <file>', 'SQLite file the run keeps its state in and resumes from (default state/<mode>.sqlite); none keeps nothing')
    .option('--fresh', 'start a new account; the old state file is kept, renamed with the time')
    .option('--api [port]', 'serve the REST API and the dashboard on 127.0.0.1 (default port 8080; 0: any free port); the token is BOT_API_TOKEN, or one printed at start')
    .option('--bus <url>', 'spread the agents over processes through this Redis: redis://[user@]host:port (rediss:// for TLS), the password in BOT_BUS_REDIS_PASSWORD; every process needs the same BOT_BUS_KEY')
    .option('--role <agents>', 'with --bus: run only these agents, comma-separated (data, analysis, portfolio, trade, monitor; config always runs)')
    .option('--node <name>', 'with --bus: this process\'s name on the bus, unique and kept across its restarts (default: its roles joined with +)');
}

/** Config key -> the option that sets it, so a bad value is reported under the name the user typed. */
export const PAPER_FLAG_NAMES: Readonly<Record<string, string>> = {
  'log.level': '--log-level',
  'run.durationSec': '--duration',
  'market.symbols': '--symbols',
  'market.timeframe': '--timeframe',
  'analysis.strategies': '--strategy',
  'portfolio.startBalance': '--balance',
  'market.speed': '--speed',
  'market.simulated.seed': '--seed',
  'run.candles': '--candles',
  'run.out': '--out',
  'market.source': '--source',
  'exchange.name': '--exchange',
  'exchange.baseUrl': '--exchange-url',
  'state.file': '--state',
  'api.enabled': '--api',
  'api.port': '--api',
  'bus.redis.url': '--bus',
  'bus.roles': '--role',
  'bus.node': '--node',
  ...TRADING_FLAG_NAMES,
};

/** The command line's part of the configuration, as dotted config keys; the loader checks the values. */
export function paperOptionFlags(options: PaperOptions): Record<string, unknown> {
  return {
    ...commonOptionFlags(options),
    'market.symbols': options.symbols,
    'market.timeframe': options.timeframe,
    'analysis.strategies': options.strategy,
    'portfolio.startBalance': options.balance,
    'market.speed': options.speed,
    'market.simulated.seed': options.seed,
    'run.candles': options.candles,
    'run.out': options.out,
    'market.source': options.source,
    'exchange.name': options.exchange,
    'exchange.baseUrl': options.exchangeUrl,
    'state.file': options.state,
    'api.enabled': options.api !== undefined ? true : undefined,
    'api.port': typeof options.api === 'string' ? options.api : undefined,
    'bus.redis.url': options.bus,
    'bus.roles': options.role,
    'bus.node': options.node,
    ...tradingFlags(options),
  };
}
