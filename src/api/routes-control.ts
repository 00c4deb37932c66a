import type { FastifyInstance } from 'fastify';
import type { Logger } from '../logging/logger';
import type { BotControl, ControlResult } from './bot-control';
import { ControlRefused } from './bot-control';
import { assertNoBody, exitBody, restartBody, setConfigBody } from './schemas';

/** Who the bot's control.applied names for a command through the REST API. */
export const BY_API = 'api';

/**
 * The control routes: each calls one BotControl method and answers its ControlResult (200), or its
 * ControlRefused sentence (409, changing nothing). Each is logged here as `api: <detail>`; the bot side
 * publishes control.applied.
 */
export function registerControlRoutes(app: FastifyInstance, control: BotControl, logger: Logger): void {
  const run = async (action: string, command: () => Promise<ControlResult>): Promise<ControlResult> => {
    try {
      const result = await command();
      logger.info(`api: ${result.detail}`);
      return result;
    } catch (err) {
      if (err instanceof ControlRefused) logger.warn(`api: ${action} refused: ${err.message}`);
      throw err;
    }
  };
  const noBody = (action: string, command: () => Promise<ControlResult>) =>
    app.post(`/api/control/${action}`, async (request) => {
      assertNoBody(request.body);
      return run(action, command);
    });

  noBody('pause', () => control.pauseEntries(BY_API));
  noBody('resume', () => control.resumeEntries(BY_API));
  noBody('exit-all', () => control.exitAll(BY_API));
  noBody('stop', () => control.stop(BY_API));
  noBody('reload-strategies', () => control.reloadStrategies(BY_API));
  app.post<{ Body: { symbol: string } }>('/api/control/exit', { schema: { body: exitBody } }, async (request) =>
    run('exit', () => control.exitPosition(request.body.symbol, BY_API)),
  );
  app.post<{ Body: { agent: string } }>('/api/control/restart', { schema: { body: restartBody } }, async (request) =>
    run('restart', () => control.restartAgent(request.body.agent, BY_API)),
  );
  app.put<{ Body: { key: string; value: unknown } }>('/api/config', { schema: { body: setConfigBody } }, async (request) =>
    run('set-config', () => control.setConfig(request.body.key, request.body.value, BY_API)),
  );
}
