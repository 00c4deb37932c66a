import type { AgentState } from './agent-state';

/** What an agent reports about itself: shown in the monitor's status table. */
export interface AgentStatus {
  name: string;
  state: AgentState;
  /** When it entered this state (clock ms). */
  since: number;
  lastError?: string;
  messagesIn: number;
  messagesOut: number;
}
