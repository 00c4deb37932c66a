/**
 * The agent lifecycle as a transition table (after NautilusTrader's component FSM): every state lists the
 * states it may move to, and anything else is refused.
 */
export type AgentState = 'created' | 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'faulted';

const TRANSITIONS: Readonly<Record<AgentState, readonly AgentState[]>> = {
  created: ['starting'],
  starting: ['running', 'faulted'],
  running: ['paused', 'stopping', 'faulted'],
  // Paused while an agent it depends on restarts: it keeps its state, receives nothing and runs no timer.
  paused: ['running', 'stopping', 'faulted'],
  stopping: ['stopped', 'faulted'],
  // A stopped or faulted agent may be started again (restart); a faulted one may also be stopped to free
  // whatever its failed start had already taken.
  stopped: ['starting'],
  faulted: ['starting', 'stopping'],
};

export function canTransition(from: AgentState, to: AgentState): boolean {
  return TRANSITIONS[from].includes(to);
}

export class InvalidTransitionError extends Error {
  constructor(agent: string, from: AgentState, to: AgentState) {
    super(`agent ${agent} cannot go from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
  }
}
