import { BaseAgent, type AgentContext } from '../../src/agents/base-agent';
import type { Envelope } from '../../src/bus/envelope';
import type { Topic } from '../../src/bus/topics';

export interface TestAgentBehaviour {
  dependsOn?: string[];
  publishes?: Topic[];
  onStart?: () => Promise<void> | void;
  onStop?: () => Promise<void> | void;
}

/** An agent whose start and stop do what a test tells them, and which records what it receives. */
export class TestAgent extends BaseAgent {
  readonly received: Envelope[] = [];

  constructor(
    name: string,
    context: AgentContext,
    private readonly behaviour: TestAgentBehaviour = {},
  ) {
    super({ name, dependsOn: behaviour.dependsOn ?? [], publishes: behaviour.publishes ?? [] }, context);
  }

  protected override async onStart(): Promise<void> {
    this.subscribe('agent.heartbeat', (message) => {
      this.received.push(message);
    });
    await this.behaviour.onStart?.();
  }

  protected override async onStop(): Promise<void> {
    await this.behaviour.onStop?.();
  }

  /** Lets a test publish as this agent, ownership rules included. */
  send(topic: 'system.started'): void {
    this.publish(topic, { agents: [] });
  }
}
