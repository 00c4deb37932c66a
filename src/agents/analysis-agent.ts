import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

/** Indicators and strategies: turns closed candles into signals. Needs market data to be flowing first. */
export class AnalysisAgent extends ConfiguredAgent {
  constructor(context: AgentContext) {
    super({ name: 'analysis', dependsOn: ['config', 'data'] }, context);
  }
}
