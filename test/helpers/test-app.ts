import path from 'node:path';
import { buildApp, type App } from '../../src/app/build-app';
import type { Journal } from '../../src/state/journal';
import type { BaseAgent } from '../../src/agents/base-agent';
import type { EventBus } from '../../src/bus/event-bus';
import { loadConfig, type LoadedConfig, type LoadConfigOptions } from '../../src/config/load-config';
import type { FileWatcher } from '../../src/config/watch-file';
import { SimulatedClock } from '../../src/core/simulated-clock';
import type { LiveMarketSource } from '../../src/market/live/types';
import type { MarketSource } from '../../src/market/types';
import { MemoryLogger } from './memory-logger';

export const DEFAULT_CONFIG_FILE = path.resolve(__dirname, '..', '..', 'config', 'default.json');
export const STRATEGIES_DIR = path.resolve(__dirname, '..', '..', 'strategies');
export const TEST_STRATEGIES_DIR = path.resolve(__dirname, '..', 'fixtures', 'strategies');

export interface TestApp extends App {
  clock: SimulatedClock;
  logger: MemoryLogger;
  loaded: LoadedConfig;
  agent(name: string): BaseAgent;
}

/** The real app on a simulated clock with a memory logger and frozen messages; config from defaults + env. */
export interface TestAppOptions {
  env?: Record<string, string>;
  configFile?: string;
  watchFile?: FileWatcher;
  strategiesDir?: string;
  marketSource?: MarketSource | LiveMarketSource;
  /** A state file the agents restore from and write through, as `--state` gives them. */
  journal?: Journal;
  /** The simulated market's seed, as a run's drawn or given --seed; default 1. */
  seed?: number;
}

export function testApp(options: TestAppOptions = {}): TestApp {
  const sources: LoadConfigOptions = {
    defaultFile: DEFAULT_CONFIG_FILE,
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    // A run's market is built from the config, so the two name one timeframe; a given source's is the run's.
    env: { BOT_LOG_TO_FILE: 'false', ...(options.marketSource ? { BOT_MARKET_TIMEFRAME: options.marketSource.timeframe } : {}), ...options.env },
  };
  const loaded = loadConfig(sources);
  const clock = new SimulatedClock(Date.UTC(2024, 0, 1));
  const logger = new MemoryLogger();
  const app = buildApp({
    loaded,
    reloadConfig: (overrides) => loadConfig({ ...sources, flags: { ...sources.flags, ...overrides } }),
    clock,
    logger,
    freezeMessages: true,
    strategiesDir: options.strategiesDir ?? STRATEGIES_DIR,
    seed: options.seed ?? 1,
    ...(options.marketSource ? { marketSource: options.marketSource } : {}),
    ...(options.watchFile ? { watchFile: options.watchFile } : {}),
    ...(options.journal ? { state: { journal: options.journal, resumeAfter: 0 } } : {}),
  });
  const agent = (name: string): BaseAgent => {
    const found = app.orchestrator.agents.find((a) => a.name === name);
    if (!found) throw new Error(`no agent ${name}`);
    return found;
  };
  return { ...app, clock, logger, loaded, agent };
}

/** Everything that would keep a stopped agent attached to the bus. */
export function busAttachments(bus: EventBus): { listeners: number; handlers: number; taps: number } {
  return { listeners: bus.listenerCount(), handlers: bus.handlerCount(), taps: bus.tapCount() };
}
