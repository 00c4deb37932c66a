import { EventEmitter } from 'eventemitter3';
import { EventBus } from '../src/bus/event-bus';
import type { Clock } from '../src/core/clock';
import { SystemClock } from '../src/core/clock';
import { SimulatedClock } from '../src/core/simulated-clock';
import { median, nsPerOperation } from './stats';

const MESSAGES = 1_000_000;
const ROUNDS = 9;

interface Case {
  subscribers: number;
  bareNs: number;
  /** A bare emit of a message stamped by hand with clock.now(): separates the clock read from the bus. */
  stampedBareNs: number;
  busNs: number;
  ratio: number;
  stampedRatio: number;
}

/**
 * The bus's cost per message against a bare eventemitter3 emit with the same number of listeners, measured
 * in the same run so machine noise hits both. The bare emit sends an already-built payload; the bus builds an
 * envelope (id, clock time), checks taps and isolates every listener, which is the overhead being judged.
 */
export function runBusBench(clockName: 'simulated' | 'system'): { clock: string; cases: Case[] } {
  const clock: Clock = clockName === 'simulated' ? new SimulatedClock(1_700_000_000_000) : new SystemClock();
  const cases: Case[] = [];
  for (const subscribers of [1, 5]) {
    let sink = 0;
    const emitter = new EventEmitter();
    const stampedEmitter = new EventEmitter();
    const bus = new EventBus({ clock });
    for (let i = 0; i < subscribers; i++) {
      emitter.on('agent.heartbeat', (payload: { agent: string }) => {
        sink += payload.agent.length;
      });
      stampedEmitter.on('agent.heartbeat', (message: { payload: { agent: string } }) => {
        sink += message.payload.agent.length;
      });
      bus.subscribe(`s${i}`, 'agent.heartbeat', (message) => {
        sink += message.payload.agent.length;
      });
    }
    const payload = { agent: 'data' };
    const bare = (): void => {
      for (let i = 0; i < MESSAGES; i++) emitter.emit('agent.heartbeat', payload);
    };
    let id = 0;
    const stamped = (): void => {
      for (let i = 0; i < MESSAGES; i++) {
        stampedEmitter.emit('agent.heartbeat', { id: id++, topic: 'agent.heartbeat', source: 'data', ts: clock.now(), payload });
      }
    };
    const viaBus = (): void => {
      for (let i = 0; i < MESSAGES; i++) bus.publish('data', 'agent.heartbeat', payload);
    };
    // Warm both paths up so the JIT has optimised them before anything is timed.
    bare();
    stamped();
    viaBus();
    // Interleave the two so a slow patch of the machine is shared.
    const bareSamples: number[] = [];
    const stampedSamples: number[] = [];
    const busSamples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareSamples.push(nsPerOperation(MESSAGES, bare));
      stampedSamples.push(nsPerOperation(MESSAGES, stamped));
      busSamples.push(nsPerOperation(MESSAGES, viaBus));
    }
    const bareNs = median(bareSamples);
    const stampedBareNs = median(stampedSamples);
    const busNs = median(busSamples);
    if (sink === 42) process.stdout.write(''); // keeps the listeners' work observable
    cases.push({
      subscribers,
      bareNs: round2(bareNs),
      stampedBareNs: round2(stampedBareNs),
      busNs: round2(busNs),
      ratio: round2(bareNs / busNs),
      stampedRatio: round2(stampedBareNs / busNs),
    });
  }
  return { clock: clockName, cases };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
