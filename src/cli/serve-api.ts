import type { ApiToken } from '../api/token';
import { startApiServer, type ApiServer } from '../api/api-server';
import { dashboardFiles } from '../api/dashboard/dashboard-files';
import type { App } from '../app/build-app';
import { BotOperations } from '../app/bot-operations';
import type { BotConfig } from '../config/schema';
import type { Clock } from '../core/clock';
import type { RootLogger } from '../logging/logger';
import type { ClosedTrade } from '../portfolio/types';
import type { MainIO } from './main-io';

/** The REST API and dashboard of a running bot: what it reads and commands, and the server once it listens. */
export interface ServedApi {
  operations: BotOperations;
  server?: ApiServer;
  close(): Promise<void>;
}

/**
 * Gathers what the API shows from the moment the agents start (BotOperations subscribes before them), so the
 * dashboard has the whole run; `listen()` then starts the server once they all run.
 */
export function prepareApi(
  app: App,
  config: BotConfig,
  deps: { clock: Clock; logger: RootLogger; earlierTrades?: readonly ClosedTrade[]; requestStop: (reason: string) => void },
): ServedApi {
  const operations = new BotOperations({
    bus: app.bus,
    orchestrator: app.orchestrator,
    ...(app.supervisor ? { supervisor: app.supervisor } : {}),
    clock: deps.clock,
    logger: deps.logger,
    config,
    strategies: app.strategies,
    ...(deps.earlierTrades ? { earlierTrades: deps.earlierTrades } : {}),
    requestStop: deps.requestStop,
  });
  const served: ServedApi = {
    operations,
    close: async () => {
      await served.server?.close();
      operations.close();
    },
  };
  return served;
}

/** Starts the server; a generated token is printed to the terminal once and never logged (the logger masks it). */
export async function listen(served: ServedApi, app: App, config: BotConfig, token: ApiToken, deps: { clock: Clock; logger: RootLogger; io: MainIO }): Promise<ApiServer> {
  const server = await startApiServer({
    control: served.operations,
    bus: app.bus,
    settings: config.api,
    token: token.token,
    logger: deps.logger,
    clock: deps.clock,
    dashboard: dashboardFiles(),
  });
  served.server = server;
  deps.logger.info(`REST API and dashboard on ${server.url}/ (token: ${token.generated ? 'generated, printed below once' : 'BOT_API_TOKEN'})`);
  if (token.generated) deps.io.stdout.write(`API token (shown once, never logged; set BOT_API_TOKEN to choose your own): ${token.token}\n`);
  return server;
}
