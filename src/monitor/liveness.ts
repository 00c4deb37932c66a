/**
 * Tracks when each agent last spoke and which ones have been silent too long. Each silence is reported
 * once; an agent that speaks again is forgiven.
 */
export class Liveness {
  private readonly lastSeen = new Map<string, number>();
  private readonly reported = new Set<string>();

  seen(agent: string, at: number): void {
    this.lastSeen.set(agent, at);
    this.reported.delete(agent);
  }

  forget(agent: string): void {
    this.lastSeen.delete(agent);
    this.reported.delete(agent);
  }

  /** Agents silent for more than `thresholdMs` at `now` and not yet reported, with how long. */
  newlySilent(now: number, thresholdMs: number): Array<{ agent: string; silentMs: number }> {
    const silent: Array<{ agent: string; silentMs: number }> = [];
    for (const [agent, at] of this.lastSeen) {
      const silentMs = now - at;
      if (silentMs > thresholdMs && !this.reported.has(agent)) {
        this.reported.add(agent);
        silent.push({ agent, silentMs });
      }
    }
    return silent;
  }
}
