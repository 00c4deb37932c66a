import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

/** Orders: turns signals into orders through the risk gate and a broker. Needs the portfolio to size them. */
export class TradeAgent extends ConfiguredAgent {
  constructor(context: AgentContext) {
    super({ name: 'trade', dependsOn: ['config', 'portfolio'] }, context);
  }
}
