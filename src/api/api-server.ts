/**
 * The REST API, its WebSocket, /metrics and the dashboard's files: one fastify server. Off by default;
 * the composition root starts it with `api.enabled` or `--api [port]`. It reads and commands the bot only
 * through BotControl; the bus it gets only feeds the metrics.
 */
import { isIP } from 'node:net';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { Bus } from '../bus/bus';
import type { BotConfig } from '../config/schema';
import type { Clock } from '../core/clock';
import { UserError } from '../core/errors';
import { isLoopbackHost } from '../core/loopback';
import type { Logger } from '../logging/logger';
import { FailedLogins, TokenCheck, authHook } from './auth';
import type { BotControl } from './bot-control';
import { registerDashboardFiles, type DashboardFile } from './dashboard-files';
import { LiveHub, MAX_CLIENT_MESSAGE_BYTES, registerLive } from './live';
import { createMetrics } from './metrics';
import { registerControlRoutes } from './routes-control';
import { registerReadRoutes } from './routes-read';
import { AJV_OPTIONS, errorHandler } from './schemas';

export interface ApiServerOptions {
  control: BotControl;
  bus: Bus;
  settings: BotConfig['api'];
  token: string;
  logger: Logger;
  clock: Clock;
  /** The dashboard's files by URL path, served without auth. */
  dashboard?: ReadonlyMap<string, DashboardFile>;
}

export interface ApiServer {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Closes the WebSockets, stops listening and unhooks the metrics from the bus. */
  close(): Promise<void>;
}

/** How long a client may take to send its request before the connection is dropped. */
const REQUEST_TIMEOUT_MS = 10_000;

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { control, bus, settings, logger, clock } = options;
  const app = Fastify({
    logger: false,
    bodyLimit: settings.bodyLimitBytes,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Keep-alive connections and WebSockets must not hold a stopping bot open.
    forceCloseConnections: true,
    ajv: { customOptions: AJV_OPTIONS },
  });
  // JSON only: a text/plain body would reach the routes as a string.
  app.removeContentTypeParser(['text/plain']);

  const check = new TokenCheck(options.token);
  const failures = new FailedLogins(clock, settings.failedLoginsPerMinute, logger);
  const metrics = createMetrics(bus);
  const hub = new LiveHub(control, logger);

  app.setErrorHandler(errorHandler(logger, settings.bodyLimitBytes));
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));
  app.addHook('onRequest', authHook(check, failures));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES } });
  registerLive(app, { hub, check, failures, clock });
  registerReadRoutes(app, control, metrics);
  registerControlRoutes(app, control, logger);
  if (options.dashboard) registerDashboardFiles(app, options.dashboard);

  const close = async (): Promise<void> => {
    hub.close();
    metrics.close();
    await app.close();
  };
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (err) {
    await close();
    throw listenError(err, settings);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const url = `http://${isIP(settings.host) === 6 ? `[${settings.host}]` : settings.host}:${port}`;
  if (!isLoopbackHost(settings.host)) {
    logger.warn(`api: listening on ${settings.host}, not a loopback address: anyone who can reach port ${port} may try the token`);
  }
  logger.info(`api: listening on ${url}`);
  return { url, port, host: settings.host, close };
}

function listenError(err: unknown, settings: BotConfig['api']): Error {
  const code = (err as { code?: unknown }).code;
  if (code === 'EADDRINUSE') return new UserError(`api.port ${settings.port} on ${settings.host} is in use; choose another (0: any free port).`);
  if (code === 'EACCES') return new UserError(`api.port ${settings.port} on ${settings.host} needs privileges this process lacks; choose a port above 1023.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new UserError(`api.host ${settings.host} is not an address of this machine.`);
  return err instanceof Error ? err : new Error(String(err));
}
