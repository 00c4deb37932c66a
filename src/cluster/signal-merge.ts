import type { Clock, Timer } from '../core/clock';
import type { Envelope } from '../bus/envelope';

const HELD_TOPICS: ReadonlySet<string> = new Set(['signal.emitted', 'signal.rejected']);

/**
 * Analysis shards decide on their symbols at the same time, so their signals of one period reach the trade
 * side interleaved as the network pleases; one process would have sent them in the period's symbol order,
 * and with cash or open positions limited the order decides which one is taken. So the signals from other
 * processes are held and handed on in the symbols' configured order (stable within a symbol) when the next
 * message from the market comes (in lockstep, the period's next phase, which waits for every shard), or,
 * with live data, `flushMs` after the first of them.
 */
export class SignalMerge {
  private held: Envelope[] = [];
  private timer: Timer | undefined;
  private readonly rank: ReadonlyMap<string, number>;
  private deliver: ((message: Envelope) => void) | undefined;

  constructor(
    symbols: readonly string[],
    private readonly options: { clock: Clock; flushMs: number | undefined },
  ) {
    this.rank = new Map(symbols.map((s, i) => [s, i]));
  }

  readonly inbound = (message: Envelope, deliver: (message: Envelope) => void): void => {
    this.deliver = deliver;
    if (message.source === 'analysis' && HELD_TOPICS.has(message.topic)) {
      this.held.push(message);
      if (this.options.flushMs !== undefined && this.timer === undefined) {
        this.timer = this.options.clock.setTimeout(() => this.flush(deliver), this.options.flushMs, { keepAlive: false });
      }
      return;
    }
    if (message.source === 'data' && this.held.length > 0) this.flush(deliver);
    deliver(message);
  };

  /**
   * The market's next message was published in this process (the data agent runs here): what is held goes
   * first, as it would had the message come from another process.
   */
  marketMessage(): void {
    if (this.held.length > 0 && this.deliver) this.flush(this.deliver);
  }

  private flush(deliver: (message: Envelope) => void): void {
    this.timer?.cancel();
    this.timer = undefined;
    const held = this.held;
    this.held = [];
    const order = (m: Envelope): number => this.rank.get((m.payload as { symbol?: string }).symbol ?? '') ?? Number.MAX_SAFE_INTEGER;
    held.map((m, i) => ({ m, i })).sort((a, b) => order(a.m) - order(b.m) || a.i - b.i).forEach(({ m }) => deliver(m));
  }
}
