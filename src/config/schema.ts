/**
 * Every configuration key: its documentation, format, bounds, default and environment variable. The convict
 * schema and the `BotConfig` interface sit next to each other and must change together; `configSchema` is
 * typed as `convict.Schema<BotConfig>`, so a key missing from either side fails the type check.
 *
 * Formats are the `bot-*` formats of formats.ts, registered with convict below. Number bounds (`min`,
 * `minExclusive`, `max`) and allowed values (`values`) are fields of the schema item, which convict hands to
 * the format. Environment variable names are `BOT_` + the dotted path in UPPER_SNAKE, written out so they can
 * be searched for.
 */
import convict from 'convict';
import { BOT_FORMATS, type BotFormatName, type FormatBounds } from './formats';

for (const [name, format] of Object.entries(BOT_FORMATS)) {
  convict.addFormat({ name, validate: (value: unknown, item: convict.SchemaObj) => format.validate(value, item as FormatBounds) });
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_COLORS = ['auto', 'always', 'never'] as const;
export type LogColor = (typeof LOG_COLORS)[number];

export type StrategyParamValue = number | string | boolean;
/** Strategy name -> parameter name -> value. */
export type StrategyParams = Readonly<Record<string, Readonly<Record<string, StrategyParamValue>>>>;

/** The shape of one key of the schema. */
export interface SchemaLeaf<T> extends FormatBounds {
  doc: string;
  format: BotFormatName;
  default: T;
  env: string;
  sensitive?: boolean;
}

export interface BotConfig {
  readonly log: {
    readonly level: LogLevel;
    readonly toFile: boolean;
    readonly dir: string;
    readonly color: LogColor;
  };
  readonly run: {
    readonly durationSec: number;
  };
  readonly orchestrator: {
    readonly startTimeoutMs: number;
    readonly stopTimeoutMs: number;
  };
  readonly monitor: {
    readonly heartbeatIntervalMs: number;
    readonly silenceThresholdMs: number;
  };
  readonly config: {
    readonly watch: boolean;
  };
  readonly exchange: {
    readonly name: string;
    readonly apiKey: string;
    readonly secret: string;
    readonly password: string;
  };
  readonly risk: {
    readonly maxOpenPositions: number;
    readonly maxPositionPct: number;
  };
  readonly strategy: {
    readonly params: StrategyParams;
  };
}

function leaf<T>(item: SchemaLeaf<T>): SchemaLeaf<T> {
  return item;
}

export const configSchema: convict.Schema<BotConfig> = {
  log: {
    level: leaf<LogLevel>({
      doc: 'Lowest level written to the console and the log file.',
      format: 'bot-one-of',
      values: LOG_LEVELS,
      default: 'info',
      env: 'BOT_LOG_LEVEL',
    }),
    toFile: leaf<boolean>({
      doc: 'Also write every log entry to a JSON-lines file in log.dir.',
      format: 'bot-boolean',
      default: true,
      env: 'BOT_LOG_TO_FILE',
    }),
    dir: leaf<string>({
      doc: 'Directory of the log files, relative to the working directory unless absolute.',
      format: 'bot-non-empty-string',
      default: 'logs',
      env: 'BOT_LOG_DIR',
    }),
    color: leaf<LogColor>({
      doc: 'Colored console output: auto (when the console is a terminal), always or never.',
      format: 'bot-one-of',
      values: LOG_COLORS,
      default: 'auto',
      env: 'BOT_LOG_COLOR',
    }),
  },
  run: {
    durationSec: leaf<number>({
      doc: 'Stop by itself after this many seconds; 0 runs until Ctrl-C.',
      format: 'bot-number',
      min: 0,
      default: 0,
      env: 'BOT_RUN_DURATION_SEC',
    }),
  },
  orchestrator: {
    startTimeoutMs: leaf<number>({
      doc: 'How long each agent may take to start before the bot gives up, in milliseconds.',
      format: 'bot-integer',
      min: 1,
      max: 600_000,
      default: 10_000,
      env: 'BOT_ORCHESTRATOR_START_TIMEOUT_MS',
    }),
    stopTimeoutMs: leaf<number>({
      doc: 'How long each agent may take to stop before it is abandoned, in milliseconds.',
      format: 'bot-integer',
      min: 1,
      max: 600_000,
      default: 10_000,
      env: 'BOT_ORCHESTRATOR_STOP_TIMEOUT_MS',
    }),
  },
  monitor: {
    heartbeatIntervalMs: leaf<number>({
      doc: 'How often each agent reports that it is alive, in milliseconds.',
      format: 'bot-integer',
      min: 100,
      max: 3_600_000,
      default: 5_000,
      env: 'BOT_MONITOR_HEARTBEAT_INTERVAL_MS',
    }),
    silenceThresholdMs: leaf<number>({
      doc: 'An agent silent for longer than this is reported, in milliseconds.',
      format: 'bot-integer',
      min: 100,
      max: 3_600_000,
      default: 15_000,
      env: 'BOT_MONITOR_SILENCE_THRESHOLD_MS',
    }),
  },
  config: {
    watch: leaf<boolean>({
      doc: 'Reload the config file when it changes (only the reloadable keys take effect without a restart).',
      format: 'bot-boolean',
      default: true,
      env: 'BOT_CONFIG_WATCH',
    }),
  },
  exchange: {
    name: leaf<string>({
      doc: 'ccxt id of the exchange, e.g. binance.',
      format: 'bot-non-empty-string',
      default: 'binance',
      env: 'BOT_EXCHANGE_NAME',
    }),
    apiKey: leaf<string>({
      doc: 'Exchange API key; from the environment only.',
      format: 'bot-string',
      default: '',
      env: 'BOT_EXCHANGE_API_KEY',
      sensitive: true,
    }),
    secret: leaf<string>({
      doc: 'Exchange API secret; from the environment only.',
      format: 'bot-string',
      default: '',
      env: 'BOT_EXCHANGE_SECRET',
      sensitive: true,
    }),
    password: leaf<string>({
      doc: 'Exchange API password (passphrase), for exchanges that need one; from the environment only.',
      format: 'bot-string',
      default: '',
      env: 'BOT_EXCHANGE_PASSWORD',
      sensitive: true,
    }),
  },
  risk: {
    maxOpenPositions: leaf<number>({
      doc: 'Most positions open at the same time.',
      format: 'bot-integer',
      min: 1,
      max: 1000,
      default: 3,
      env: 'BOT_RISK_MAX_OPEN_POSITIONS',
    }),
    maxPositionPct: leaf<number>({
      doc: 'Largest single position, in percent of the account equity.',
      format: 'bot-number',
      min: 0,
      minExclusive: true,
      max: 100,
      default: 25,
      env: 'BOT_RISK_MAX_POSITION_PCT',
    }),
  },
  strategy: {
    params: leaf<StrategyParams>({
      doc:
        'Parameters of each strategy: {"<strategy>": {"<parameter>": number | string | boolean}}. A later source ' +
        'replaces the whole object; from the environment it is a JSON string.',
      format: 'bot-strategy-params',
      default: {},
      env: 'BOT_STRATEGY_PARAMS',
    }),
  },
};

/** Keys whose new value takes effect at run time, without a restart. */
export const RELOADABLE_KEYS: ReadonlySet<string> = new Set([
  'log.level',
  'monitor.silenceThresholdMs',
  'risk.maxOpenPositions',
  'risk.maxPositionPct',
  'strategy.params',
]);

/** Keys marked `sensitive` in the schema: read from the environment only, never logged. */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set(['exchange.apiKey', 'exchange.secret', 'exchange.password']);
