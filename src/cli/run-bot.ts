import path from 'node:path';
import { buildApp, type App } from '../app/build-app';
import { accountQuoteBalance } from '../app/choose-parts';
import { openState, type OpenedState } from '../app/open-state';
import type { StateError } from '../state/state-error';
import { Journal } from '../state/journal';
import { StartupError } from '../app/orchestrator';
import type { PortfolioFinal } from '../portfolio/summary';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import { SystemClock, type Clock } from '../core/clock';
import { ExitCode, UserError, errorMessage } from '../core/errors';
import { apiToken, type ApiToken } from '../api/token';
import { listen, prepareApi } from './serve-api';
import type { RootLogger } from '../logging/logger';
import { openLogger } from './open-logger';
import type { MainIO, StopSignal } from './main-io';
import { PAPER_FLAG_NAMES, paperOptionFlags, type PaperOptions } from './paper-options';
import { checkTradingMode } from './trading-mode';
import { writeRunOutputs } from './write-run-outputs';
import { RunOutputStream } from './run-output-stream';
import { followRunOutputs } from './follow-run-outputs';
import { busSetup } from './bus-setup';
import { checkOutputPaths } from './output-paths';
import { keepsStateFile, paperOutputPaths } from './paper-output-paths';
import { leadTradeSide, type TradeLeadership } from '../cluster/trade-leadership';
import { localRoles, nodeName } from '../cluster/cluster-settings';
import { withTimeout } from '../core/with-timeout';

/**
 * Loads the configuration and the strategies (a mistake there is a UserError: exit 2), then paper-trades
 * until Ctrl-C, --duration or --candles, prints the summary and writes the --out files (kept current as the
 * run goes, so a killed run leaves its trades and its last status line's summary).
 */
export async function runBot(options: PaperOptions, io: MainIO): Promise<number> {
  const sources = {
    defaultFile: path.join(io.projectRoot, 'config', 'default.json'),
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    env: io.env,
    flags: paperOptionFlags(options),
    flagNames: PAPER_FLAG_NAMES,
  };
  const first = loadConfig(sources);
  const mode = checkTradingMode(first.config, options.live === true);
  // Before anything runs: a --out that is a file must not cost the user the whole run.
  checkOutputPaths(paperOutputPaths(first.config, mode, options));
  // Live: the account's cash is what the exchange says, not a number in a config file.
  const startBalance = mode === 'live' ? await accountQuoteBalance(first.config) : undefined;
  const withBalance = { ...sources, flags: { ...sources.flags, ...(startBalance !== undefined ? { 'portfolio.startBalance': startBalance } : {}) } };
  const loaded = startBalance !== undefined ? loadConfig(withBalance) : first;
  const clock = new SystemClock();
  // Seed 0 means "pick one"; it is printed so the run can be replayed.
  const drawn = loaded.config.market.simulated.seed || 1 + Math.floor(Math.random() * 0xfffffffe);
  // Read before the logger opens, so the logger masks it like the config's secrets.
  const token = loaded.config.api.enabled ? apiToken(io.env) : undefined;
  const busKeySecret = io.env['BOT_BUS_KEY'];
  const logger = openLogger(loaded, clock, io.stdout, { toFile: true, secrets: [...(token ? [token.token] : []), ...(busKeySecret ? [busKeySecret] : [])] });
  const failure: StateFailure = { error: undefined, stop: () => undefined };
  let state: OpenedState | undefined;
  // With --state none the run still journals, to memory: an agent the supervisor restarts comes back from it.
  let journal: Journal | undefined;
  let app: App;
  let bus: ReturnType<typeof busSetup>;
  let leadership: TradeLeadership | undefined;
  try {
    bus = busSetup(loaded.config, io.env, logger);
    if (bus && localRoles(loaded.config).has('trade')) {
      const { redis, failoverMs } = loaded.config.bus;
      leadership = await leadTradeSide({ url: redis.url, password: redis.password, prefix: redis.prefix, node: nodeName(loaded.config), ttlMs: failoverMs, clock, logger });
      const lead = leadership;
      lead.onLost((reason) => {
        failure.lostLead = `this process lost the trade side's lead (${reason}): it stops so that only the new leader trades`;
        failure.stop(failure.lostLead);
      });
    }
    state = !keepsStateFile(loaded.config) ? undefined : openState(loaded.config, {
      mode,
      fresh: options.fresh === true,
      seed: drawn,
      ...(leadership ? { leading: true } : {}),
      now: clock.now(),
      onFailure: (error) => {
        failure.error = error;
        failure.stop(error.message);
      },
    });
    journal = state?.journal ?? Journal.inMemory();
    app = buildApp({
      trading: mode,
      loaded,
      reloadConfig: (overrides) => loadConfig({ ...withBalance, flags: { ...withBalance.flags, ...overrides } }),
      clock,
      logger,
      seed: state?.seed ?? drawn,
      strategiesDir: path.join(io.projectRoot, 'strategies'),
      ...(io.watchFile ? { watchFile: io.watchFile } : {}),
      state: { journal, resumeAfter: state?.resumeAfter ?? 0 },
      ...(bus ? { cluster: bus } : {}),
    });
    if (app.cluster && leadership) app.cluster.bridge.fence = leadership.token;
  } catch (err) {
    if (leadership) await withTimeout(leadership.release(), 1000, clock, 'releasing the trade lock').catch(() => undefined);
    journal?.close();
    await logger.close();
    throw err;
  }
  try {
    return await runAgents(app, loaded, state, state?.seed ?? drawn, failure, clock, logger, io, token);
  } catch (err) {
    logger.error(`stopped by an unexpected error: ${errorMessage(err)}`, err instanceof Error ? { stack: err.stack } : {});
    return ExitCode.runtimeFailure;
  } finally {
    journal.close();
    // Released only after the journal is closed: the standby opens it next.
    if (leadership) await withTimeout(leadership.release(), 1000, clock, 'releasing the trade lock').catch(() => undefined);
    await logger.close();
  }
}

/** A state file that could not be written ends the run: the error, and how to ask for the stop. */
interface StateFailure {
  error: StateError | undefined;
  /** The trade side's lock was lost to another process: why. */
  lostLead?: string;
  stop: (reason: string) => void;
}

async function runAgents(
  app: App,
  loaded: LoadedConfig,
  state: OpenedState | undefined,
  seed: number,
  failure: StateFailure,
  clock: SystemClock,
  logger: RootLogger,
  io: MainIO,
  token: ApiToken | undefined,
): Promise<number> {
  const { config } = loaded;
  const { durationSec, candles, out } = config.run;
  const limits = [durationSec > 0 ? `${durationSec} s` : '', candles > 0 ? `${candles} candles` : ''].filter(Boolean);
  const simulated = config.market.source === 'simulated';
  const what =
    config.mode === 'live'
      ? `LIVE TRADING on ${config.exchange.name}${config.exchange.sandbox ? ' (sandbox)' : ''} with REAL ORDERS`
      : simulated
        ? 'PAPER TRADING on a SIMULATED market (no exchange, no real money; its trends, ranges and jumps are made up: the run shows how the bot trades, not what a strategy earns on a real market)'
        : 'PAPER TRADING on LIVE market data (simulated fills, no real money)';
  logger.info(
    `${what}: ` +
      `${app.market.description}; start balance ${config.portfolio.startBalance} ${app.market.symbols[0]?.split('/')[1] ?? ''}; ` +
      `strategies ${config.analysis.strategies.join(', ')}; ` +
      // Costs beside the strategies: on short candles they decide a run's result more than the strategy does.
      `each fill pays ${Number((config.trade.fees.taker * 100).toPrecision(6))} % fees and ${config.trade.slippageBps} bps slippage; ` +
      `${simulated ? `replay with --seed ${seed}; ` : ''}` +
      `${limits.length > 0 ? `stops after ${limits.join(' or ')} or on Ctrl-C` : 'Ctrl-C stops it'}`,
  );
  for (const notice of state?.notices ?? []) logger.info(notice);
  logger.info(state ? state.banner : 'state: none kept (--state none): a stop or a crash loses this run');
  logger.info(`config: ${loaded.files.length > 0 ? loaded.files.join(', ') : 'defaults'}`);
  // Logged whole: the secrets in it are masked by value like everywhere else, which the tests rely on.
  logger.debug(`effective configuration: ${JSON.stringify(config)}`);

  let final: PortfolioFinal | undefined;
  app.bus.subscribe('cli', 'portfolio.final', ({ payload }) => {
    final = payload;
  });
  const outExtra = { seed, symbols: config.market.symbols, timeframe: config.market.timeframe, strategies: config.analysis.strategies };
  // Nothing else may hold the event loop open while the agents idle; this does until a stop is asked for.
  const keepAlive = clock.setInterval(() => undefined, 1 << 30);
  const stop = waitForStop(clock, durationSec, io, logger);
  failure.stop = (reason) => stop.request(reason);
  app.bus.subscribe('cli', 'market.ended', ({ payload }) => stop.request(`market ended: ${payload.reason}`));
  // Read from the state file once, for the API and --out alike, and only for them.
  const earlierTrades = token || out !== '' ? state?.journal.closedTrades() : undefined;
  const api = token
    ? prepareApi(app, config, { clock, logger, requestStop: (why) => stop.request(why), ...(earlierTrades ? { earlierTrades } : {}) })
    : undefined;
  // Where the books are kept, --out follows the run as it goes: a run killed with SIGKILL leaves what it did.
  const outputs = out !== '' && localRoles(config).has('portfolio') ? RunOutputStream.open(out, earlierTrades ?? [], outExtra) : undefined;
  const unfollow = outputs ? followRunOutputs(app.bus, outputs, logger) : undefined;
  try {
    if (app.cluster) {
      try {
        await app.cluster.join(() => app.orchestrator.agents.map((a) => ({ name: a.name, state: a.currentState })));
      } catch (err) {
        io.stderr.write(`error: ${errorMessage(err)}\n`);
        return ExitCode.runtimeFailure;
      }
    }
    try {
      await app.orchestrator.startAll();
    } catch (err) {
      if (err instanceof StartupError) {
        // The log has the whole story; the terminal gets the one sentence.
        io.stderr.write(`error: ${err.message}\n`);
        return ExitCode.runtimeFailure;
      }
      throw err;
    }
    if (api && token) {
      try {
        await listen(api, app, config, token, { clock, logger, io });
      } catch (err) {
        // A port in use or a bad host: one sentence, and the agents stop again.
        await app.orchestrator.stopAll('the API server could not start');
        io.stderr.write(`error: ${errorMessage(err)}\n`);
        return err instanceof UserError ? err.exitCode : ExitCode.runtimeFailure;
      }
    }
    const reason = await stop.reason;
    logger.info(`stopping: ${reason}`);
    const clean = await app.orchestrator.stopAll(reason);
    logger.info(clean ? 'all agents stopped' : 'some agents did not stop cleanly');
    await app.cluster?.leave();
    if (failure.lostLead) {
      logger.error(failure.lostLead);
      io.stderr.write(`error: ${failure.lostLead}\n`);
      return ExitCode.runtimeFailure;
    }
    if (failure.error) {
      logger.error(failure.error.message);
      io.stderr.write(`error: ${failure.error.message}\n`);
      return failure.error.exitCode;
    }
    if (out !== '' && final) {
      const written = outputs ? outputs.finish(final) : writeRunOutputs(out, final, outExtra);
      logger.info(`wrote ${written.join(' and ')}`);
    }
    return clean ? ExitCode.ok : ExitCode.runtimeFailure;
  } finally {
    unfollow?.();
    outputs?.close();
    await app.cluster?.leave().catch(() => undefined);
    await api?.close();
    stop.dispose();
    keepAlive.cancel();
  }
}

interface StopWait {
  reason: Promise<string>;
  request: (reason: string) => void;
  dispose: () => void;
}

/** Resolves on the first SIGINT/SIGTERM, when the duration runs out or on request; a second signal forces exit. */
function waitForStop(clock: Clock, durationSec: number, io: MainIO, logger: RootLogger): StopWait {
  let request: (reason: string) => void = () => undefined;
  const reason = new Promise<string>((resolve) => {
    request = resolve;
  });
  let signalsSeen = 0;
  const onSignal = (signal: StopSignal): void => {
    signalsSeen += 1;
    if (signalsSeen === 1) {
      logger.warn(`${signal} received, stopping the agents (send it again to force an exit)`);
      request(signal);
      return;
    }
    logger.error(`${signal} received again, forcing an exit`);
    io.exit(ExitCode.runtimeFailure);
  };
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  const timer = durationSec > 0 ? clock.setTimeout(() => request(`the duration of ${durationSec} s is over`), durationSec * 1000) : undefined;
  return {
    reason,
    request: (why) => request(why),
    dispose: () => {
      timer?.cancel();
      io.signals.off('SIGINT', onSignal);
      io.signals.off('SIGTERM', onSignal);
    },
  };
}
