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
import type { RoiTable, TakeProfitTier } from '../execution/types';
import type { Allocations } from '../portfolio/strategy-books';
import { TIMEFRAMES } from '../market/timeframe';
import type { ProfitShareSchedule } from '../portfolio/profit-share';
import type { RebalanceSettings } from '../portfolio/rebalance-settings';
import type { AlertRulesSettings } from '../alerts/alert-settings';
import { ALERT_LEVELS, type AlertLevel } from '../bus/topics';
import { BOT_FORMATS, type BotFormatName, type FormatBounds } from './formats';

for (const [name, format] of Object.entries(BOT_FORMATS)) {
  convict.addFormat({ name, validate: (value: unknown, item: convict.SchemaObj) => format.validate(value, item as FormatBounds) });
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_COLORS = ['auto', 'always', 'never'] as const;
export type LogColor = (typeof LOG_COLORS)[number];

export const MARKET_SOURCES = ['simulated', 'exchange'] as const;
export const TRADING_MODES = ['paper', 'live'] as const;
export const COMBINE_RULES = ['any', 'majority', 'weighted'] as const;
export type CombineRule = (typeof COMBINE_RULES)[number];
export type TradingMode = (typeof TRADING_MODES)[number];
export type MarketSourceKind = (typeof MARKET_SOURCES)[number];

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
  readonly mode: TradingMode;
  readonly log: {
    readonly level: LogLevel;
    readonly toFile: boolean;
    readonly dir: string;
    readonly maxSizeMb: number;
    readonly maxFiles: number;
    readonly color: LogColor;
  };
  readonly run: {
    readonly durationSec: number;
    readonly candles: number;
    readonly out: string;
  };
  readonly state: {
    readonly file: string;
    readonly keepEvents: number;
    readonly maxSizeMb: number;
    readonly adoptUnknownBalances: boolean;
  };
  readonly market: {
    readonly source: MarketSourceKind;
    readonly symbols: readonly string[];
    readonly timeframe: string;
    readonly speed: number | 'realtime';
    readonly historyLength: number;
    readonly staleFloorMs: number;
    readonly simulated: {
      readonly seed: number;
      readonly ticksPerCandle: number;
      readonly startPrices: Readonly<Record<string, number>>;
    };
  };
  readonly analysis: {
    readonly strategies: readonly string[];
    readonly combine: CombineRule;
    readonly threshold: number;
    readonly weights: Readonly<Record<string, number>>;
    readonly cooldownCandles: number;
  };
  readonly portfolio: {
    readonly startBalance: number;
    /** null: no profit sharing. */
    readonly profitShare: ProfitShareSchedule | null;
    readonly allocations: Allocations;
    /** null: no rebalancing. */
    readonly rebalance: RebalanceSettings | null;
  };
  readonly trade: {
    readonly stake: string;
    readonly minNotional: number;
    readonly slippageBps: number;
    readonly fees: {
      readonly maker: number;
      readonly taker: number;
    };
    readonly stopLossPct: number;
    readonly takeProfitPct: number;
    readonly takeProfitTiers: readonly TakeProfitTier[];
    readonly trailingStopPct: number;
    readonly trailingActivationPct: number;
    readonly roi: RoiTable;
  };
  readonly orchestrator: {
    readonly startTimeoutMs: number;
    readonly stopTimeoutMs: number;
  };
  readonly monitor: {
    readonly heartbeatIntervalMs: number;
    readonly silenceThresholdMs: number;
    readonly statusIntervalMs: number;
    readonly restart: {
      readonly max: number;
      readonly windowS: number;
      readonly backoffMs: number;
      readonly maxBackoffMs: number;
    };
  };
  readonly alerts: {
    readonly botName: string;
    readonly minIntervalS: number;
    readonly rules: AlertRulesSettings;
    readonly log: {
      readonly minLevel: AlertLevel;
    };
    readonly webhook: {
      readonly url: string;
      readonly secret: string;
      readonly minLevel: AlertLevel;
      readonly timeoutMs: number;
      readonly retries: number;
    };
    readonly telegram: {
      readonly token: string;
      readonly chatId: string;
      readonly baseUrl: string;
      readonly minLevel: AlertLevel;
    };
  };
  readonly config: {
    readonly watch: boolean;
  };
  readonly bus: {
    readonly redis: {
      readonly url: string;
      readonly password: string;
      readonly prefix: string;
    };
    readonly roles: readonly string[];
    readonly node: string;
    readonly await: readonly string[];
    readonly maxSkewMs: number;
    readonly failoverMs: number;
    readonly presenceIntervalMs: number;
    readonly lockstep: boolean;
  };
  readonly api: {
    readonly enabled: boolean;
    readonly port: number;
    readonly host: string;
    readonly bodyLimitBytes: number;
    readonly failedLoginsPerMinute: number;
  };
  readonly exchange: {
    readonly name: string;
    readonly baseUrl: string;
    readonly wsUrl: string;
    readonly sandbox: boolean;
    readonly timeoutMs: number;
    readonly clockSkewWarnMs: number;
    readonly apiKey: string;
    readonly secret: string;
    readonly password: string;
  };
  readonly risk: {
    readonly maxOpenPositions: number;
    readonly maxPositionPct: number;
    readonly maxDrawdownPct: number;
    readonly dailyLossPct: number;
    readonly stoplossGuard: {
      readonly count: number;
      readonly windowMin: number;
      readonly pauseMin: number;
    };
    readonly cooldownAfterLossMin: number;
    readonly maxExposurePct: number;
    readonly maxAssetExposurePct: number;
    readonly killSwitch: {
      readonly file: string;
      readonly exitPositions: boolean;
    };
  };
  readonly strategy: {
    readonly params: StrategyParams;
  };
}

function leaf<T>(item: SchemaLeaf<T>): SchemaLeaf<T> {
  return item;
}

export const configSchema: convict.Schema<BotConfig> = {
  mode: leaf<TradingMode>({
    doc: 'paper (simulated fills, no money at risk) or live (real orders on the exchange; also needs --live and API keys).',
    format: 'bot-one-of',
    values: TRADING_MODES,
    default: 'paper',
    env: 'BOT_MODE',
  }),
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
    maxSizeMb: leaf<number>({
      doc: 'Largest the log file grows, in MB, before it is renamed bot.1.jsonl (the older ones one number up) and a new bot.jsonl begins; 0: never rotated.',
      format: 'bot-number',
      min: 0,
      max: 100_000,
      default: 10,
      env: 'BOT_LOG_MAX_SIZE_MB',
    }),
    maxFiles: leaf<number>({
      doc: 'Log files kept, bot.jsonl included: the oldest past it is deleted at a rotation. With log.maxSizeMb they bound the disk the log takes.',
      format: 'bot-integer',
      min: 1,
      max: 1000,
      default: 5,
      env: 'BOT_LOG_MAX_FILES',
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
    candles: leaf<number>({
      doc: 'Stop by itself after this many closed candles per symbol; 0 runs until stopped otherwise.',
      format: 'bot-integer',
      min: 0,
      default: 0,
      env: 'BOT_RUN_CANDLES',
    }),
    out: leaf<string>({
      doc: 'Directory a paper or live run keeps summary.json and trades.csv in, current as it runs and final at its end; empty writes nothing.',
      format: 'bot-string',
      default: '',
      env: 'BOT_RUN_OUT',
    }),
  },
  state: {
    file: leaf<string>({
      doc: 'SQLite file a paper or live run keeps its state in and resumes from; empty: state/<mode>.sqlite; none: nothing kept (always so for backtests and the optimizer).',
      format: 'bot-string',
      default: '',
      env: 'BOT_STATE_FILE',
    }),
    keepEvents: leaf<number>({
      doc: 'Journal events kept in the state file; older ones are deleted, the state they add up to stays.',
      format: 'bot-integer',
      min: 100,
      max: 100_000_000,
      default: 100_000,
      env: 'BOT_STATE_KEEP_EVENTS',
    }),
    maxSizeMb: leaf<number>({
      doc: 'Largest the state file may grow, in MB; past it the run stops with an error as on a full disk. 0: no limit but the disk.',
      format: 'bot-number',
      min: 0,
      default: 0,
      env: 'BOT_STATE_MAX_SIZE_MB',
    }),
    adoptUnknownBalances: leaf<boolean>({
      doc: 'Live: a coin the account holds that no position of the state file explains is taken into the books as a position (at the price then) instead of only reported.',
      format: 'bot-boolean',
      default: false,
      env: 'BOT_STATE_ADOPT_UNKNOWN_BALANCES',
    }),
  },
  market: {
    source: leaf<MarketSourceKind>({
      doc: 'Where market data comes from: simulated (a seeded built-in market, no exchange needed) or exchange (live public data from exchange.name).',
      format: 'bot-one-of',
      values: MARKET_SOURCES,
      default: 'simulated',
      env: 'BOT_MARKET_SOURCE',
    }),
    symbols: leaf<readonly string[]>({
      doc: 'Symbols to trade, like BTC/USDT; all must share one quote currency. Comma-separated in the environment.',
      format: 'bot-symbol-list',
      default: ['BTC/USDT', 'ETH/USDT'],
      env: 'BOT_MARKET_SYMBOLS',
    }),
    timeframe: leaf<string>({
      doc: 'Candle timeframe the strategies run on.',
      format: 'bot-one-of',
      values: TIMEFRAMES,
      default: '1m',
      env: 'BOT_MARKET_TIMEFRAME',
    }),
    speed: leaf<number | 'realtime'>({
      doc: 'How fast the simulated market plays: candles per second, or realtime (one candle per timeframe).',
      format: 'bot-speed',
      default: 10,
      env: 'BOT_MARKET_SPEED',
    }),
    historyLength: leaf<number>({
      doc: 'Closed candles kept per symbol for history requests.',
      format: 'bot-integer',
      min: 10,
      max: 1_000_000,
      default: 1000,
      env: 'BOT_MARKET_HISTORY_LENGTH',
    }),
    staleFloorMs: leaf<number>({
      doc: 'Live data is stale when the last update is older than the larger of this and 3 expected update intervals; no entries then.',
      format: 'bot-integer',
      min: 1000,
      max: 86_400_000,
      default: 30_000,
      env: 'BOT_MARKET_STALE_FLOOR_MS',
    }),
    simulated: {
      seed: leaf<number>({
        doc: 'Seed of the simulated market; the same seed gives the same prices and trades. 0 picks one at random (printed at start).',
        format: 'bot-integer',
        min: 0,
        max: 4_294_967_295,
        default: 0,
        env: 'BOT_MARKET_SIMULATED_SEED',
      }),
      ticksPerCandle: leaf<number>({
        doc: 'Price ticks the simulated market makes inside each candle.',
        format: 'bot-integer',
        min: 1,
        max: 10_000,
        default: 12,
        env: 'BOT_MARKET_SIMULATED_TICKS_PER_CANDLE',
      }),
      startPrices: leaf<Readonly<Record<string, number>>>({
        doc: 'Start price per symbol, e.g. {"BTC/USDT": 60000}; symbols not listed start at a built-in price.',
        format: 'bot-price-map',
        default: {},
        env: 'BOT_MARKET_SIMULATED_START_PRICES',
      }),
    },
  },
  analysis: {
    strategies: leaf<readonly string[]>({
      doc: 'Strategies to run, by file name in strategies/. Comma-separated in the environment.',
      format: 'bot-name-list',
      default: ['rsi-mean-reversion', 'macd-crossover'],
      env: 'BOT_ANALYSIS_STRATEGIES',
    }),
    combine: leaf<CombineRule>({
      doc: 'How the strategies of a symbol decide together: any (each signal counts), majority (more than half agree on the candle), weighted (agreeing weight x strength reaches the threshold).',
      format: 'bot-one-of',
      values: COMBINE_RULES,
      default: 'any',
      env: 'BOT_ANALYSIS_COMBINE',
    }),
    threshold: leaf<number>({
      doc: 'weighted: the share of the total weight (0-1] that must agree, each vote counted at its strength.',
      format: 'bot-number',
      min: 0,
      minExclusive: true,
      max: 1,
      default: 0.5,
      env: 'BOT_ANALYSIS_THRESHOLD',
    }),
    weights: leaf<Readonly<Record<string, number>>>({
      doc: 'weighted: each strategy\'s weight; 1 for a strategy not named. JSON in the environment.',
      format: 'bot-weight-map',
      default: {},
      env: 'BOT_ANALYSIS_WEIGHTS',
    }),
    cooldownCandles: leaf<number>({
      doc: 'Candles after an exit of a symbol during which no new entry in it is signalled; 0: none.',
      format: 'bot-integer',
      min: 0,
      max: 100_000,
      default: 0,
      env: 'BOT_ANALYSIS_COOLDOWN_CANDLES',
    }),
  },
  portfolio: {
    startBalance: leaf<number>({
      doc: 'Starting cash of the paper account, in the quote currency of the symbols.',
      format: 'bot-number',
      min: 0,
      minExclusive: true,
      default: 10_000,
      env: 'BOT_PORTFOLIO_START_BALANCE',
    }),
    profitShare: leaf<ProfitShareSchedule | null>({
      doc: 'Performance fee on the gain above a high-water mark, by marginal tiers of the period\'s return; null: none. JSON in the environment.',
      format: 'bot-profit-share',
      default: null,
      env: 'BOT_PORTFOLIO_PROFIT_SHARE',
    }),
    allocations: leaf<Allocations>({
      doc:
        'Per-strategy sub-ledgers: {"<strategy>": <percent of the start balance>}; each strategy trades its own capital and cannot spend ' +
        "another's; every strategy run needs a share. {}: one account for all.",
      format: 'bot-allocations',
      default: {},
      env: 'BOT_PORTFOLIO_ALLOCATIONS',
    }),
    rebalance: leaf<RebalanceSettings | null>({
      doc:
        'Target weights kept by rebalancing, like {"targets": {"BTC": 50, "USDT": 50}, "thresholdPct": 5, "every": "1d", "minTradeQuote": 10}; ' +
        'with portfolio.allocations, no targets: it moves capital between the strategies back to their allocations. null: none. JSON in the environment.',
      format: 'bot-rebalance',
      default: null,
      env: 'BOT_PORTFOLIO_REBALANCE',
    }),
  },
  trade: {
    stake: leaf<string>({
      doc: 'How much to spend on an entry: all (all free cash), a quote amount like 100, or a percentage of equity like 10%.',
      format: 'bot-stake',
      default: '20%',
      env: 'BOT_TRADE_STAKE',
    }),
    minNotional: leaf<number>({
      doc: 'Smallest order worth placing, in the quote currency.',
      format: 'bot-number',
      min: 0,
      default: 10,
      env: 'BOT_TRADE_MIN_NOTIONAL',
    }),
    slippageBps: leaf<number>({
      doc: 'Market orders fill this many basis points worse than the next price.',
      format: 'bot-number',
      min: 0,
      max: 1000,
      default: 5,
      env: 'BOT_TRADE_SLIPPAGE_BPS',
    }),
    fees: {
      maker: leaf<number>({
        doc: 'Maker fee as a fraction of notional (0.001 = 0.1 %), paid by limit and take-profit fills.',
        format: 'bot-number',
        min: 0,
        max: 0.1,
        default: 0.001,
        env: 'BOT_TRADE_FEES_MAKER',
      }),
      taker: leaf<number>({
        doc: 'Taker fee as a fraction of notional, paid by market and stop-loss fills.',
        format: 'bot-number',
        min: 0,
        max: 0.1,
        default: 0.001,
        env: 'BOT_TRADE_FEES_TAKER',
      }),
    },
    stopLossPct: leaf<number>({
      doc: 'Stop-loss below the entry price, in percent; 0 turns it off.',
      format: 'bot-number',
      min: 0,
      max: 99,
      default: 0,
      env: 'BOT_TRADE_STOP_LOSS_PCT',
    }),
    takeProfitPct: leaf<number>({
      doc: 'Take-profit above the entry price, in percent; 0 turns it off.',
      format: 'bot-number',
      min: 0,
      max: 10_000,
      default: 0,
      env: 'BOT_TRADE_TAKE_PROFIT_PCT',
    }),
    takeProfitTiers: leaf<readonly TakeProfitTier[]>({
      doc:
        'A take-profit ladder: [{"atPct": 2, "sellPct": 30, "moveStopTo": "breakeven"}, ...] sells sellPct % of the entry at atPct % above it, ' +
        'and may move the stop-loss to the entry price ("breakeven") or to a percent above it; [] turns it off.',
      format: 'bot-take-profit-tiers',
      default: [],
      env: 'BOT_TRADE_TAKE_PROFIT_TIERS',
    }),
    trailingStopPct: leaf<number>({
      doc: 'A stop that follows the highest price since activation, this many percent below it; 0 turns it off.',
      format: 'bot-number',
      min: 0,
      max: 99,
      default: 0,
      env: 'BOT_TRADE_TRAILING_STOP_PCT',
    }),
    trailingActivationPct: leaf<number>({
      doc: 'The trailing stop starts once the price is this many percent above the entry; 0 starts it at the entry.',
      format: 'bot-number',
      min: 0,
      max: 10_000,
      default: 0,
      env: 'BOT_TRADE_TRAILING_ACTIVATION_PCT',
    }),
    roi: leaf<RoiTable>({
      doc: 'Minutes held -> smallest profit in percent that exits the position, like {"0": 4, "30": 2, "60": 0}; {} turns it off.',
      format: 'bot-roi-table',
      default: {},
      env: 'BOT_TRADE_ROI',
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
    statusIntervalMs: leaf<number>({
      doc: 'How often the status line (equity, PnL, positions, trades, events/s) is printed, in milliseconds; 0 turns it off.',
      format: 'bot-integer',
      min: 0,
      max: 3_600_000,
      default: 5_000,
      env: 'BOT_MONITOR_STATUS_INTERVAL_MS',
    }),
    restart: {
      max: leaf<number>({
        doc: 'Most times one agent that faults (its start, a handler that throws, a silence) is restarted within monitor.restart.windowS; at the next fault the bot enters safe mode: trading halts, the bot keeps running. 0: never restart.',
        format: 'bot-integer',
        min: 0,
        max: 1000,
        default: 3,
        env: 'BOT_MONITOR_RESTART_MAX',
      }),
      windowS: leaf<number>({
        doc: 'The sliding window, in seconds, in which an agent\'s restarts are counted against monitor.restart.max.',
        format: 'bot-integer',
        min: 1,
        max: 604_800,
        default: 600,
        env: 'BOT_MONITOR_RESTART_WINDOW_S',
      }),
      backoffMs: leaf<number>({
        doc: 'Wait before the first restart of a faulted agent, in milliseconds; each further restart in the window waits twice as long.',
        format: 'bot-integer',
        min: 0,
        max: 3_600_000,
        default: 1_000,
        env: 'BOT_MONITOR_RESTART_BACKOFF_MS',
      }),
      maxBackoffMs: leaf<number>({
        doc: 'Longest wait before a restart, in milliseconds.',
        format: 'bot-integer',
        min: 0,
        max: 3_600_000,
        default: 30_000,
        env: 'BOT_MONITOR_RESTART_MAX_BACKOFF_MS',
      }),
    },
  },
  alerts: {
    botName: leaf<string>({
      doc: 'The name the alerts carry (the webhook body\'s "bot", the start of a Telegram message), to tell several bots apart.',
      format: 'bot-non-empty-string',
      default: 'trading-bot',
      env: 'BOT_ALERTS_BOT_NAME',
    }),
    minIntervalS: leaf<number>({
      doc:
        'The same alert (a rule and its subject: the agent, the symbols, the stream) is sent at most once per this many seconds; ' +
        'the ones held back are counted and summed up in one alert when the interval ends.',
      format: 'bot-integer',
      min: 1,
      max: 86_400,
      default: 300,
      env: 'BOT_ALERTS_MIN_INTERVAL_S',
    }),
    rules: leaf<AlertRulesSettings>({
      doc:
        'Changes to the alert rules, like {"drawdown": {"pct": 15}, "fill": {"enabled": true}}; every rule takes enabled and level ' +
        '(info, warning, critical), rules and fields left out keep their defaults: agentFaulted, safeMode (critical), agentRestarted, ' +
        'agentSilent, staleData (warning), exchangeDown {"afterS": 60} (critical), ordersRejected {"count": 5, "windowMin": 10} (warning), ' +
        'drawdown {"pct": 10} (critical), dailyPnl {"belowPct": 5} (warning), fill (info, off), riskState (warning), profitShare (info). JSON in the environment.',
      format: 'bot-alert-rules',
      default: {},
      env: 'BOT_ALERTS_RULES',
    }),
    log: {
      minLevel: leaf<AlertLevel>({
        doc: 'Lowest alert level written to the log (critical as an error, warning as a warning, info as info).',
        format: 'bot-one-of',
        values: ALERT_LEVELS,
        default: 'info',
        env: 'BOT_ALERTS_LOG_MIN_LEVEL',
      }),
    },
    webhook: {
      url: leaf<string>({
        doc: 'POST every alert as JSON to this http(s) URL, signed with alerts.webhook.secret; empty: no webhook.',
        format: 'bot-string',
        default: '',
        env: 'BOT_ALERTS_WEBHOOK_URL',
      }),
      secret: leaf<string>({
        doc: 'Key of the webhook\'s HMAC-SHA256 signature (header X-Bot-Signature); required with alerts.webhook.url; from the environment only.',
        format: 'bot-string',
        default: '',
        env: 'BOT_ALERTS_WEBHOOK_SECRET',
        sensitive: true,
      }),
      minLevel: leaf<AlertLevel>({
        doc: 'Lowest alert level sent to the webhook.',
        format: 'bot-one-of',
        values: ALERT_LEVELS,
        default: 'warning',
        env: 'BOT_ALERTS_WEBHOOK_MIN_LEVEL',
      }),
      timeoutMs: leaf<number>({
        doc: 'Longest wait for the webhook to answer one POST before it counts as failed.',
        format: 'bot-integer',
        min: 100,
        max: 120_000,
        default: 5000,
        env: 'BOT_ALERTS_WEBHOOK_TIMEOUT_MS',
      }),
      retries: leaf<number>({
        doc: 'Retries of a failed POST (an error, a timeout, a 5xx or 429; not another 4xx), after 1 s, 2 s, 4 s, ...',
        format: 'bot-integer',
        min: 0,
        max: 10,
        default: 3,
        env: 'BOT_ALERTS_WEBHOOK_RETRIES',
      }),
    },
    telegram: {
      token: leaf<string>({
        doc: 'Telegram bot token: send alerts through the Telegram Bot API to alerts.telegram.chatId; empty: no Telegram; from the environment only.',
        format: 'bot-string',
        default: '',
        env: 'BOT_ALERTS_TELEGRAM_TOKEN',
        sensitive: true,
      }),
      chatId: leaf<string>({
        doc: 'The Telegram chat (or channel, like @name) the alerts go to; required with alerts.telegram.token.',
        format: 'bot-string',
        default: '',
        env: 'BOT_ALERTS_TELEGRAM_CHAT_ID',
      }),
      baseUrl: leaf<string>({
        doc: 'The Telegram Bot API\'s URL; another one for a proxy or a local fake.',
        format: 'bot-non-empty-string',
        default: 'https://api.telegram.org',
        env: 'BOT_ALERTS_TELEGRAM_BASE_URL',
      }),
      minLevel: leaf<AlertLevel>({
        doc: 'Lowest alert level sent to Telegram.',
        format: 'bot-one-of',
        values: ALERT_LEVELS,
        default: 'warning',
        env: 'BOT_ALERTS_TELEGRAM_MIN_LEVEL',
      }),
    },
  },
  config: {
    watch: leaf<boolean>({
      doc: 'Reload the config file when it changes (only the reloadable keys take effect without a restart).',
      format: 'bot-boolean',
      default: true,
      env: 'BOT_CONFIG_WATCH',
    }),
  },
  bus: {
    redis: {
      url: leaf<string>({
        doc: 'Spread the agents over processes through this Redis (also --bus): redis://[user@]host:port, rediss:// for TLS, the password in BOT_BUS_REDIS_PASSWORD; empty keeps the bus in this process. Every process needs BOT_BUS_KEY.',
        format: 'bot-string',
        default: '',
        env: 'BOT_BUS_REDIS_URL',
      }),
      password: leaf<string>({
        doc: 'Password of the Redis (or of the ACL user of bus.redis.url).',
        format: 'bot-string',
        default: '',
        env: 'BOT_BUS_REDIS_PASSWORD',
        sensitive: true,
      }),
      prefix: leaf<string>({
        doc: 'Prefix of the bus\'s keys and channels in Redis, so several bots can share one server.',
        format: 'bot-non-empty-string',
        default: 'bot',
        env: 'BOT_BUS_REDIS_PREFIX',
      }),
    },
    roles: leaf<readonly string[]>({
      doc: 'The agents this process runs (also --role), from config, data, analysis, portfolio, trade, monitor; empty: all of them. config always runs. Only with bus.redis.url.',
      format: 'bot-name-list',
      default: [],
      env: 'BOT_BUS_ROLES',
    }),
    node: leaf<string>({
      doc: 'This process\'s name on the bus (also --node), unique in the bot and the same across its restarts; empty: its roles joined with +.',
      format: 'bot-string',
      default: '',
      env: 'BOT_BUS_NODE',
    }),
    await: leaf<readonly string[]>({
      doc: 'Agents that must run somewhere on the bus before the market plays, as name or name:count (analysis:2 waits for two analysis processes).',
      format: 'bot-agent-counts',
      default: ['data', 'analysis', 'portfolio', 'trade'],
      env: 'BOT_BUS_AWAIT',
    }),
    maxSkewMs: leaf<number>({
      doc: 'A message from another process older (or newer) than this by our clock is refused, as a replay would be.',
      format: 'bot-integer',
      min: 100,
      max: 3_600_000,
      default: 60_000,
      env: 'BOT_BUS_MAX_SKEW_MS',
    }),
    failoverMs: leaf<number>({
      doc: 'A process not heard from for this long is taken for dead: its analysis symbols move to the others, a standby trader takes the lead, the market stops waiting for it.',
      format: 'bot-integer',
      min: 200,
      max: 600_000,
      default: 3_000,
      env: 'BOT_BUS_FAILOVER_MS',
    }),
    presenceIntervalMs: leaf<number>({
      doc: 'How often each process announces its agents and their states on the bus.',
      format: 'bot-integer',
      min: 50,
      max: 60_000,
      default: 500,
      env: 'BOT_BUS_PRESENCE_INTERVAL_MS',
    }),
    lockstep: leaf<boolean>({
      doc: 'A simulated or replayed market waits, after each phase of a period, for every process to have handled it, so a spread-out bot makes the trades one process would; live data never waits.',
      format: 'bot-boolean',
      default: true,
      env: 'BOT_BUS_LOCKSTEP',
    }),
  },
  api: {
    enabled: leaf<boolean>({
      doc: 'Start the REST API and dashboard server (also --api [port]); every request needs the token of BOT_API_TOKEN, or one generated and printed at start.',
      format: 'bot-boolean',
      default: false,
      env: 'BOT_API_ENABLED',
    }),
    port: leaf<number>({
      doc: 'TCP port of the API server; 0: any free port (the log says which).',
      format: 'bot-integer',
      min: 0,
      max: 65_535,
      default: 8080,
      env: 'BOT_API_PORT',
    }),
    host: leaf<string>({
      doc: 'Address the API server listens on; anything but a loopback address exposes it to the network, and the log warns so.',
      format: 'bot-non-empty-string',
      default: '127.0.0.1',
      env: 'BOT_API_HOST',
    }),
    bodyLimitBytes: leaf<number>({
      doc: 'Largest request body the API accepts, in bytes; a larger one gets 413.',
      format: 'bot-integer',
      min: 256,
      max: 1_048_576,
      default: 16_384,
      env: 'BOT_API_BODY_LIMIT_BYTES',
    }),
    failedLoginsPerMinute: leaf<number>({
      doc: 'Requests with a missing or wrong token one client address may make per minute; past it, 429 until the minute is over.',
      format: 'bot-integer',
      min: 1,
      max: 10_000,
      default: 10,
      env: 'BOT_API_FAILED_LOGINS_PER_MINUTE',
    }),
  },
  exchange: {
    name: leaf<string>({
      doc: 'ccxt id of the exchange, e.g. binance.',
      format: 'bot-non-empty-string',
      default: 'binance',
      env: 'BOT_EXCHANGE_NAME',
    }),
    baseUrl: leaf<string>({
      doc: 'Send every REST request to this URL instead of the exchange (a local fake exchange, a proxy); empty: the real one.',
      format: 'bot-string',
      default: '',
      env: 'BOT_EXCHANGE_BASE_URL',
    }),
    wsUrl: leaf<string>({
      doc: 'WebSocket URL for the streams; empty: derived from exchange.baseUrl when that is set (http -> ws), else the exchange\'s own.',
      format: 'bot-string',
      default: '',
      env: 'BOT_EXCHANGE_WS_URL',
    }),
    sandbox: leaf<boolean>({
      doc: "Use the exchange's testnet (ccxt's sandbox mode), where it has one.",
      format: 'bot-boolean',
      default: false,
      env: 'BOT_EXCHANGE_SANDBOX',
    }),
    timeoutMs: leaf<number>({
      doc: 'Longest wait for one exchange request before it counts as failed.',
      format: 'bot-integer',
      min: 100,
      max: 120_000,
      default: 10_000,
      env: 'BOT_EXCHANGE_TIMEOUT_MS',
    }),
    clockSkewWarnMs: leaf<number>({
      doc: "Warn at start when this machine's clock and the exchange's differ by more than this.",
      format: 'bot-integer',
      min: 0,
      max: 3_600_000,
      default: 1000,
      env: 'BOT_EXCHANGE_CLOCK_SKEW_WARN_MS',
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
    maxDrawdownPct: leaf<number>({
      doc: 'Halt trading once the equity is this many percent below its peak, until it is back within it; 0 turns it off.',
      format: 'bot-number',
      min: 0,
      max: 100,
      default: 0,
      env: 'BOT_RISK_MAX_DRAWDOWN_PCT',
    }),
    dailyLossPct: leaf<number>({
      doc: 'Take exits only for the rest of the UTC day once the equity is this many percent below its start of the day; 0 turns it off.',
      format: 'bot-number',
      min: 0,
      max: 100,
      default: 0,
      env: 'BOT_RISK_DAILY_LOSS_PCT',
    }),
    stoplossGuard: {
      count: leaf<number>({
        doc: 'Pause entries after this many stop-losses within risk.stoplossGuard.windowMin minutes; 0 turns it off.',
        format: 'bot-integer',
        min: 0,
        max: 1000,
        default: 0,
        env: 'BOT_RISK_STOPLOSS_GUARD_COUNT',
      }),
      windowMin: leaf<number>({
        doc: 'The window the stop-losses of risk.stoplossGuard.count are counted in, in minutes.',
        format: 'bot-integer',
        min: 1,
        max: 525_600,
        default: 60,
        env: 'BOT_RISK_STOPLOSS_GUARD_WINDOW_MIN',
      }),
      pauseMin: leaf<number>({
        doc: 'How long entries pause after the stop-losses, in minutes from the last of them.',
        format: 'bot-integer',
        min: 1,
        max: 525_600,
        default: 60,
        env: 'BOT_RISK_STOPLOSS_GUARD_PAUSE_MIN',
      }),
    },
    cooldownAfterLossMin: leaf<number>({
      doc: 'No entry in a symbol for this many minutes after a trade of it closed at a loss; 0 turns it off.',
      format: 'bot-integer',
      min: 0,
      max: 525_600,
      default: 0,
      env: 'BOT_RISK_COOLDOWN_AFTER_LOSS_MIN',
    }),
    maxExposurePct: leaf<number>({
      doc: 'Most of the equity that positions and pending buys together may take, in percent; 0: no limit.',
      format: 'bot-number',
      min: 0,
      max: 100,
      default: 0,
      env: 'BOT_RISK_MAX_EXPOSURE_PCT',
    }),
    maxAssetExposurePct: leaf<number>({
      doc: 'Most of the equity the positions in one base asset may take, in percent; 0: no limit.',
      format: 'bot-number',
      min: 0,
      max: 100,
      default: 0,
      env: 'BOT_RISK_MAX_ASSET_EXPOSURE_PCT',
    }),
    killSwitch: {
      file: leaf<string>({
        doc: 'Flag file: while it exists nothing trades (the halt and resume commands write and remove it); empty turns the kill switch off.',
        format: 'bot-string',
        default: '',
        env: 'BOT_RISK_KILL_SWITCH_FILE',
      }),
      exitPositions: leaf<boolean>({
        doc: 'When the kill switch goes on, first sell every open position, then halt.',
        format: 'bot-boolean',
        default: false,
        env: 'BOT_RISK_KILL_SWITCH_EXIT_POSITIONS',
      }),
    },
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
  'alerts.minIntervalS',
  'alerts.rules',
  'alerts.log.minLevel',
  'alerts.webhook.minLevel',
  'alerts.telegram.minLevel',
  'risk.maxOpenPositions',
  'risk.maxPositionPct',
  'risk.maxDrawdownPct',
  'risk.dailyLossPct',
  'risk.stoplossGuard.count',
  'risk.stoplossGuard.windowMin',
  'risk.stoplossGuard.pauseMin',
  'risk.cooldownAfterLossMin',
  'risk.maxExposurePct',
  'risk.maxAssetExposurePct',
  'risk.killSwitch.file',
  'risk.killSwitch.exitPositions',
  'strategy.params',
  'trade.stake',
  'trade.minNotional',
]);

/** Keys marked `sensitive` in the schema: read from the environment only, never logged. */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  'alerts.webhook.secret',
  'alerts.telegram.token',
  'bus.redis.password',
  'exchange.apiKey',
  'exchange.secret',
  'exchange.password',
]);
