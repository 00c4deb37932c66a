/**
 * Every topic on the bus and the payload it carries. A typo in a topic name or a payload of the wrong shape
 * is a compile error wherever a message is published, subscribed to or requested.
 *
 * Naming: `domain.event`, events in the past tense, commands imperative; lifecycle under `agent.*`,
 * process-wide under `system.*`.
 */
import type { AgentState } from '../agents/agent-state';
import type { BotConfig } from '../config/schema';
import type { ConfigChange } from '../config/diff-config';

export interface AgentStateChanged {
  agent: string;
  from: AgentState;
  to: AgentState;
  /** Why an agent faulted; absent on ordinary transitions. */
  error?: string;
}

export interface AgentErrorReported {
  agent: string;
  topic: string;
  error: string;
}

export interface AgentHeartbeat {
  agent: string;
}

export interface SystemStarted {
  agents: string[];
}

export interface SystemStopping {
  reason: string;
}

export interface ConfigChanged {
  applied: ConfigChange[];
  /** Keys that changed on disk but only take effect after a restart. */
  needRestart: string[];
}

/** Broadcast topics: publish/subscribe. */
export interface EventTopics {
  'agent.state': AgentStateChanged;
  'agent.error': AgentErrorReported;
  'agent.heartbeat': AgentHeartbeat;
  'system.started': SystemStarted;
  'system.stopping': SystemStopping;
  'config.changed': ConfigChanged;
}

/** Request/response topics: one handler each, answered through a correlation id. */
export interface RequestTopics {
  'config.get': { request: Record<string, never>; response: BotConfig };
}

export type EventTopic = keyof EventTopics & string;
export type RequestTopic = keyof RequestTopics & string;
export type Topic = EventTopic | RequestTopic;

/** Topics every agent may publish without declaring them: the lifecycle that BaseAgent runs for it. */
export const LIFECYCLE_TOPICS = ['agent.state', 'agent.error', 'agent.heartbeat'] as const satisfies readonly EventTopic[];
