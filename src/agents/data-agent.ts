import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

/**
 * Market data: the single place candles and ticks enter the bot. Later work plugs market sources
 * (simulated, replayed files, live exchanges) in behind one interface; the flow starts on `system.started`,
 * once every consumer is running.
 */
export class DataAgent extends ConfiguredAgent {
  constructor(context: AgentContext) {
    super({ name: 'data', dependsOn: ['config'] }, context);
  }
}
