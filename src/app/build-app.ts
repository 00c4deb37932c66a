import { AnalysisAgent } from '../agents/analysis-agent';
import { alertChannelsProblem } from '../alerts/alert-service';
import type { AgentContext, BaseAgent } from '../agents/base-agent';
import { ConfigAgent } from '../agents/config-agent';
import { DataAgent, type DataAgentOptions } from '../agents/data-agent';
import { MonitorAgent } from '../agents/monitor-agent';
import { PortfolioAgent } from '../agents/portfolio-agent';
import { TradeAgent } from '../agents/trade-agent';
import { EventBus } from '../bus/event-bus';
import type { LoadedConfig } from '../config/load-config';
import type { FileWatcher } from '../config/watch-file';
import type { Clock } from '../core/clock';
import { errorMessage, UserError } from '../core/errors';
import type { RootLogger } from '../logging/logger';
import { quoteCurrencyOf } from '../market/symbols';
import { checkRebalanceAssets } from '../portfolio/rebalance-settings';
import type { LiveMarketSource } from '../market/live/types';
import type { MarketSource } from '../market/types';
import { loadStrategies } from '../strategy/load-strategies';
import type { StrategyDefinition } from '../strategy/types';
import { chooseExecutor, chooseMarketSource } from './choose-parts';
import { Orchestrator } from './orchestrator';
import { Supervisor } from './supervisor';
import type { Journal } from '../state/journal';
import type { ClusterNode } from '../cluster/cluster-node';
import type { Transport } from '../bus/transport';

export interface AppDependencies {
  loaded: LoadedConfig;
  /** Reads the sources again, `overrides` (an operator's config.set) over them. */
  reloadConfig: (overrides?: Readonly<Record<string, unknown>>) => LoadedConfig;
  /** The agents' clock: system time for paper and live, simulated for backtests. */
  clock: Clock;
  /** Wall time for start/stop time-outs; defaults to `clock`. */
  timeoutClock?: Clock;
  logger: RootLogger;
  watchFile?: FileWatcher;
  /** Deep-freeze every message (tests). */
  freezeMessages?: boolean;
  /** Where strategy files are looked up by name. */
  strategiesDir: string;
  /** Strategies handed over as definitions (the test kit's); the ones the config names that are not here come from strategiesDir. */
  strategies?: readonly StrategyDefinition[];
  /** The simulated market's seed; required when the config's seed is 0 (random), drawn by the caller. */
  seed?: number;
  /** Replaces the configured market source (tests, benchmarks, backtests). */
  marketSource?: MarketSource | LiveMarketSource;
  /** How the market is played: on the clock (paper) or step by step by the caller (backtests). */
  pacing?: DataAgentOptions['pacing'];
  beforePeriod?: DataAgentOptions['beforePeriod'];
  historyLength?: DataAgentOptions['historyLength'];
  /**
   * Heartbeats and the silence watch. Off in backtests: on virtual time that jumps a candle at a time they
   * would fire thousands of times for nothing.
   */
  liveness?: boolean;
  /**
   * 'live' sends orders to the exchange instead of the paper fill model; checked by the caller (mode, --live,
   * keys). Paper when absent.
   */
  trading?: 'paper' | 'live';
  /** The run's state file, opened by open-state.ts; absent, everything stays in memory (backtests, tests). */
  state?: { journal: Journal; resumeAfter: number };
  /**
   * The bus spread over processes (bus.redis.url): the transport and BOT_BUS_KEY; this process then runs
   * only the agents of bus.roles and finds the others on the bus.
   */
  cluster?: { transport: Transport; key: Buffer };
}

export interface App {
  bus: EventBus;
  orchestrator: Orchestrator;
  /** Restarts faulted agents (paper and live); absent in backtests, where a fault fails the run. */
  supervisor?: Supervisor;
  /** The strategies the bot runs, as loaded. */
  strategies: readonly StrategyDefinition[];
  config: ConfigAgent;
  data: DataAgent;
  market: MarketSource | LiveMarketSource;
  /** This process's place on a bus spread over processes; joined before the agents start. */
  cluster?: ClusterNode;
}

/**
 * The composition root: the one place that picks concrete classes (with choose-parts.ts: the market source
 * and the executor) and wires them together. Everything a user can get wrong (strategy names and
 * parameters, symbols) is checked here, before any agent starts, and thrown as a UserError. The agents get
 * the configuration from the ConfigAgent, secrets redacted; only the live executor is given the keys, and
 * only the MonitorAgent's alerting the alert channels' secrets.
 */
export function buildApp(deps: AppDependencies): App {
  const { config } = deps.loaded;
  const quote = quoteCurrencyOf(config.market.symbols);
  const { rebalance } = config.portfolio;
  // With sub-ledgers a rebalance moves capital between the strategies, back to their allocations, which are
  // then its targets (portfolio/reallocation.ts); without, it trades the assets back to theirs.
  const allocated = Object.keys(config.portfolio.allocations).length > 0;
  if (rebalance && allocated && rebalance.targets !== undefined) {
    throw new UserError(
      'portfolio.rebalance.targets must be left out with portfolio.allocations: a rebalance then moves capital between the strategies back to their allocations, which are its targets',
    );
  }
  if (rebalance && !allocated) checkRebalanceAssets(rebalance, config.market.symbols, quote);
  // A rebalancing account may run alone; without it, a bot with no strategy would never trade.
  if (config.analysis.strategies.length === 0 && !rebalance) {
    throw new UserError('analysis.strategies is empty and portfolio.rebalance is null, so the bot would have nothing to trade on: name a strategy or set a rebalance');
  }
  const alertSecrets = { webhookSecret: config.alerts.webhook.secret, telegramToken: config.alerts.telegram.token, all: deps.loaded.secrets };
  const alertProblem = alertChannelsProblem(config.alerts, alertSecrets);
  if (alertProblem !== undefined) throw new UserError(alertProblem);
  const strategies = loadStrategies(config, deps.strategiesDir, deps.strategies);
  const market =
    deps.marketSource ??
    chooseMarketSource(config, { seed: deps.seed ?? config.market.simulated.seed, clock: deps.clock });
  const busLog = deps.logger.child({ agent: 'bus' });
  const bus = new EventBus({
    clock: deps.clock,
    freezeMessages: deps.freezeMessages ?? false,
    onUnreportableError: (agent, topic, error) =>
      busLog.error(`agent ${agent} failed handling ${topic} and the failure could not be reported: ${errorMessage(error)}`),
  });
  // Required only for a bot spread over processes: a backtest or a one-process bot never loads the cluster's modules.
  const cluster = deps.cluster
    ? new (require('../cluster/cluster-node') as typeof import('../cluster/cluster-node')).ClusterNode({ bus, transport: deps.cluster.transport, key: deps.cluster.key, config, clock: deps.clock, logger: deps.logger, played: !isLiveSource(market) })
    : undefined;
  const context: AgentContext = {
    bus,
    clock: deps.clock,
    logger: deps.logger,
    heartbeatIntervalMs: deps.liveness === false ? 0 : config.monitor.heartbeatIntervalMs,
  };

  let orchestrator: Orchestrator | undefined;
  const dataAgent = new DataAgent(context, {
    source: market,
    ...(deps.pacing ? { pacing: deps.pacing } : {}),
    ...(deps.beforePeriod ? { beforePeriod: deps.beforePeriod } : {}),
    ...(deps.historyLength !== undefined ? { historyLength: deps.historyLength } : {}),
    ...(deps.state ? { resumeAfter: deps.state.resumeAfter } : {}),
    ...(cluster?.gate ? { gate: cluster.gate } : {}),
  });
  const journal = deps.state?.journal;
  const configAgent = new ConfigAgent(context, {
    loaded: deps.loaded,
    reload: deps.reloadConfig,
    ...(deps.watchFile ? { watchFile: deps.watchFile } : {}),
  });
  const all: BaseAgent[] = [
    configAgent,
    new MonitorAgent(context, {
      statuses: () => orchestrator?.statuses() ?? [],
      setLogLevel: (level) => deps.logger.setLevel(level),
      watchSilence: deps.liveness !== false,
      ...(deps.liveness !== false ? { alerts: { secrets: alertSecrets } } : {}),
    }),
    dataAgent,
    new PortfolioAgent(context, journal ? { journal } : {}),
    new TradeAgent(context, { executor: chooseExecutor(config, deps.trading ?? 'paper', deps.clock, { persistent: journal !== undefined }), ...(journal ? { journal } : {}) }),
    new AnalysisAgent(context, {
      strategies,
      strategiesDir: deps.strategiesDir,
      ...(deps.watchFile ? { reload: { watch: deps.watchFile, strategiesDir: deps.strategiesDir } } : {}),
      ...(cluster?.shard ? { shard: cluster.shard } : {}),
    }),
  ];
  const agents = cluster ? all.filter((agent) => cluster.roles.has(agent.name)) : all;
  orchestrator = new Orchestrator(agents, {
    bus,
    logger: deps.logger,
    timeoutClock: deps.timeoutClock ?? deps.clock,
    startTimeoutMs: config.orchestrator.startTimeoutMs,
    stopTimeoutMs: config.orchestrator.stopTimeoutMs,
    ...(cluster ? { elsewhere: { agents: cluster.elsewhere, waitFor: (agent: string) => cluster.waitFor(agent), beforeStarted: () => cluster.awaitCluster() } } : {}),
  });
  let supervisor: Supervisor | undefined;
  if (deps.liveness !== false) {
    supervisor = new Supervisor(orchestrator, { bus, clock: deps.clock, logger: deps.logger, settings: () => config.monitor.restart });
    supervisor.attach();
  }
  return { bus, orchestrator, ...(supervisor ? { supervisor } : {}), strategies, config: configAgent, data: dataAgent, market, ...(cluster ? { cluster } : {}) };
}

function isLiveSource(source: MarketSource | LiveMarketSource): source is LiveMarketSource {
  return 'kind' in source && source.kind === 'live';
}
