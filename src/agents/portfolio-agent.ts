import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

/** Balances, positions and PnL: the ledger every fill is booked in. */
export class PortfolioAgent extends ConfiguredAgent {
  constructor(context: AgentContext) {
    super({ name: 'portfolio', dependsOn: ['config'] }, context);
  }
}
