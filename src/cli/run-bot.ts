import path from 'node:path';
import { buildApp } from '../app/build-app';
import { StartupError } from '../app/orchestrator';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import { SystemClock, type Clock } from '../core/clock';
import { ExitCode, errorMessage } from '../core/errors';
import { createLogger, type RootLogger } from '../logging/logger';
import { Redactor } from '../logging/redactor';
import { commonOptionFlags, type CommonOptions } from './common-options';
import type { MainIO, StopSignal } from './main-io';

/** Loads the configuration (a ConfigError here means exit 2), then runs the agents until told to stop. */
export async function runBot(options: CommonOptions, io: MainIO): Promise<number> {
  const sources = {
    defaultFile: path.join(io.projectRoot, 'config', 'default.json'),
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    env: io.env,
    flags: commonOptionFlags(options),
  };
  const loaded = loadConfig(sources);
  const clock = new SystemClock();
  const logger = openLogger(loaded, clock, io);
  try {
    return await runAgents(loaded, () => loadConfig(sources), clock, logger, io);
  } catch (err) {
    logger.error(`stopped by an unexpected error: ${errorMessage(err)}`, err instanceof Error ? { stack: err.stack } : {});
    return ExitCode.runtimeFailure;
  } finally {
    await logger.close();
  }
}

function openLogger(loaded: LoadedConfig, clock: Clock, io: MainIO): RootLogger {
  const { log } = loaded.config;
  return createLogger({
    level: log.level,
    clock,
    redactor: new Redactor(loaded.secrets),
    console: { stream: io.stdout, color: log.color === 'always' || (log.color === 'auto' && io.stdout.isTTY === true) },
    ...(log.toFile ? { file: { path: path.resolve(log.dir, 'bot.jsonl') } } : {}),
  });
}

async function runAgents(
  loaded: LoadedConfig,
  reloadConfig: () => LoadedConfig,
  clock: SystemClock,
  logger: RootLogger,
  io: MainIO,
): Promise<number> {
  const { config } = loaded;
  const durationSec = config.run.durationSec;
  logger.info(
    `starting the bot (paper mode; ${durationSec > 0 ? `stops after ${durationSec} s` : 'Ctrl-C stops it'}; ` +
      `config: ${loaded.files.length > 0 ? loaded.files.join(', ') : 'defaults'})`,
  );
  // Logged whole: the secrets in it are masked by value like everywhere else, which the tests rely on.
  logger.debug(`effective configuration: ${JSON.stringify(config)}`);
  const app = buildApp({ loaded, reloadConfig, clock, logger, ...(io.watchFile ? { watchFile: io.watchFile } : {}) });

  // Nothing else may hold the event loop open while the agents idle; this does until a stop is asked for.
  const keepAlive = clock.setInterval(() => undefined, 1 << 30);
  const stop = waitForStop(clock, durationSec, io, logger);
  try {
    try {
      await app.orchestrator.startAll();
    } catch (err) {
      if (err instanceof StartupError) return ExitCode.runtimeFailure;
      throw err;
    }
    const reason = await stop.reason;
    logger.info(`stopping: ${reason}`);
    const clean = await app.orchestrator.stopAll(reason);
    logger.info(clean ? 'all agents stopped' : 'some agents did not stop cleanly');
    return clean ? ExitCode.ok : ExitCode.runtimeFailure;
  } finally {
    stop.dispose();
    keepAlive.cancel();
  }
}

/** Resolves on the first SIGINT/SIGTERM or when the duration runs out; a second signal forces exit. */
function waitForStop(clock: Clock, durationSec: number, io: MainIO, logger: RootLogger): { reason: Promise<string>; dispose: () => void } {
  let resolveStop: (reason: string) => void = () => undefined;
  const reason = new Promise<string>((resolve) => {
    resolveStop = resolve;
  });
  let signalsSeen = 0;
  const onSignal = (signal: StopSignal): void => {
    signalsSeen += 1;
    if (signalsSeen === 1) {
      logger.warn(`${signal} received, stopping the agents (send it again to force an exit)`);
      resolveStop(signal);
      return;
    }
    logger.error(`${signal} received again, forcing an exit`);
    io.exit(ExitCode.runtimeFailure);
  };
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  const timer =
    durationSec > 0 ? clock.setTimeout(() => resolveStop(`the duration of ${durationSec} s is over`), durationSec * 1000) : undefined;
  return {
    reason,
    dispose: () => {
      timer?.cancel();
      io.signals.off('SIGINT', onSignal);
      io.signals.off('SIGTERM', onSignal);
    },
  };
}
