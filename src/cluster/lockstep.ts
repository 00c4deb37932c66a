import type { Clock } from '../core/clock';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../bus/event-bus';
import type { BusBridge } from '../bus/remote/bus-bridge';
import { PERIOD_PHASES } from '../bus/topics';
import type { Membership } from './membership';

interface Ack {
  topic: string;
  time: number;
}

/**
 * A played market (simulated or replayed) spread over processes makes the trades one process would: after
 * each phase of a period the DataAgent waits until every other live process has handled it (and sent on
 * what it published in turn), as the in-process bus does by returning only after every listener ran. Each
 * process acknowledges each phase it received, on the reliable lane, after its agents ran and their promises
 * settled. A process that dies stops being waited for once the membership drops it (bus.failoverMs); one
 * that does not answer within that time is waited for no longer on that phase, with a warning.
 */
export class Lockstep {
  /** Acknowledgements of the phases being waited for; every process gets every ack, and keeps only these. */
  private readonly acks = new Map<string, Set<string>>();
  private waiters: Array<() => void> = [];
  private offs: Array<() => void> = [];
  private slowWarned = new Set<string>();

  constructor(
    private readonly bridge: BusBridge,
    private readonly membership: Membership,
    private readonly options: { clock: Clock; failoverMs: number; logger: Logger },
  ) {}

  /** Every process acknowledges the phases it receives; only the one playing the market waits for them. */
  start(bus: EventBus): void {
    this.offs.push(
      this.bridge.onControl('lockstep.ack', (payload, message) => {
        const ack = payload as Ack;
        const set = this.acks.get(`${ack.topic}@${ack.time}`);
        if (set === undefined) return;
        set.add(message.origin);
        this.wake();
      }),
      this.membership.onChange(() => this.wake()),
    );
    for (const topic of PERIOD_PHASES) {
      // Unranked: after every agent of this process had the phase.
      this.offs.push(
        bus.subscribe('cluster', topic, (message) => {
          if (message.origin === bus.origin) return;
          const ack: Ack = { topic, time: message.payload.time };
          this.options.clock.setImmediate?.(() => this.bridge.sendControl('lockstep.ack', ack, 'reliable')) ??
            this.options.clock.setTimeout(() => this.bridge.sendControl('lockstep.ack', ack, 'reliable'), 0);
        }),
      );
    }
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.wake();
  }

  /** Resolves once every other live process acknowledged `topic` of the period at `time`. */
  afterPhase(topic: string, time: number): Promise<void> {
    const key = `${topic}@${time}`;
    // Registered at once after the publish, before any acknowledgement can be back.
    if (!this.acks.has(key)) this.acks.set(key, new Set());
    const deadline = this.options.clock.now() + this.options.failoverMs;
    return new Promise((resolve) => {
      const timer = this.options.clock.setTimeout(() => check(true), this.options.failoverMs, { keepAlive: false });
      const check = (timedOut = false): boolean => {
        const waiting = this.waitingFor(key);
        if (waiting.length > 0 && !timedOut && this.options.clock.now() < deadline) return false;
        for (const node of waiting) {
          if (this.slowWarned.has(node)) continue;
          this.slowWarned.add(node);
          this.options.logger.warn(`lockstep: ${node} did not acknowledge ${topic} within ${this.options.failoverMs} ms (bus.failoverMs); the market goes on without waiting for it this time`);
        }
        timer.cancel();
        this.acks.delete(key);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
        return true;
      };
      const waiter = (): void => void check();
      if (!check()) this.waiters.push(waiter);
    });
  }

  private waitingFor(key: string): string[] {
    const got = this.acks.get(key);
    const self = this.bridge.origin;
    return this.membership
      .alive()
      .filter((p) => p.origin !== self && !(got?.has(p.origin) ?? false))
      .map((p) => p.node);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
