/** `monitor.restart.*`: how often a faulting agent is restarted before the bot gives up on it. */
export interface RestartSettings {
  /** Most restarts of one agent within `windowS`; the next fault enters safe mode. */
  max: number;
  windowS: number;
  /** The first restart waits this long; each further one in the window twice as long, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

export type RestartDecision =
  | { restart: true; attempt: number; delayMs: number }
  | { restart: false; restarts: number };

/**
 * Counts each agent's restarts in a sliding window and answers, for a new fault, whether to restart it and
 * after how long (exponential backoff), or that it has used its restarts up. Plain time in, no timers.
 */
export class RestartBudget {
  private readonly restarts = new Map<string, number[]>();

  constructor(private readonly settings: () => RestartSettings) {}

  /** A fault of `agent` at `now`: the decision, with the restart counted when there is one. */
  fault(agent: string, now: number): RestartDecision {
    const { max, backoffMs, maxBackoffMs } = this.settings();
    const recent = this.recent(agent, now);
    if (recent.length >= max) return { restart: false, restarts: recent.length };
    recent.push(now);
    const attempt = recent.length;
    return { restart: true, attempt, delayMs: Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1)) };
  }

  /** Restarts of `agent` within the window before `now`. */
  count(agent: string, now: number): number {
    return this.recent(agent, now).length;
  }

  private recent(agent: string, now: number): number[] {
    const since = now - this.settings().windowS * 1000;
    const kept = (this.restarts.get(agent) ?? []).filter((t) => t > since);
    this.restarts.set(agent, kept);
    return kept;
  }
}
