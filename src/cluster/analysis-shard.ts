import type { ShardView } from '../agents/analysis-agent';
import type { Membership } from './membership';
import { ownerOf } from './shard-ring';

/**
 * This process's share of the symbols among the analysis processes running now (shard-ring.ts: rendezvous
 * hashing, so a process joining or leaving moves only its own share). Recomputed when the membership
 * changes; the analysis agent hears what it gained and lost.
 */
export class AnalysisShard implements ShardView {
  private owned = new Set<string>();
  private readonly listeners: Array<(gained: readonly string[], lost: readonly string[]) => void> = [];
  private off: (() => void) | undefined;

  constructor(
    private readonly membership: Membership,
    private readonly symbols: readonly string[],
    private readonly node: string,
  ) {}

  start(): void {
    this.off = this.membership.onChange(() => this.recompute());
    this.recompute();
  }

  stop(): void {
    this.off?.();
    this.off = undefined;
  }

  owns(symbol: string): boolean {
    return this.owned.has(symbol);
  }

  /** The analysis processes' nodes and the symbols of each, for the log and the API. */
  members(): string[] {
    return this.membership.runningAgent('analysis').map((p) => p.node);
  }

  onChange(listener: (gained: readonly string[], lost: readonly string[]) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  private recompute(): void {
    const members = this.members();
    const next = new Set(this.symbols.filter((s) => ownerOf(s, members) === this.node));
    const gained = [...next].filter((s) => !this.owned.has(s));
    const lost = [...this.owned].filter((s) => !next.has(s));
    this.owned = next;
    if (gained.length === 0 && lost.length === 0) return;
    for (const listener of [...this.listeners]) listener(gained, lost);
  }
}
