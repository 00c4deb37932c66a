import type { Envelope } from '../../../src/bus/envelope';
import { SignalMerge } from '../../../src/cluster/signal-merge';
import { SimulatedClock } from '../../../src/core/simulated-clock';

let id = 0;
const message = (source: string, topic: string, symbol?: string): Envelope => ({ id: ++id, origin: source === 'data' ? 'd' : 'a', topic, source, ts: 0, payload: symbol ? { symbol } : {} });
const names = (list: Envelope[]): string[] => list.map((m) => `${m.topic}:${(m.payload as { symbol?: string }).symbol ?? ''}`);

describe('SignalMerge', () => {
  it('hands the shards\' signals of a period on in the symbols\' order, before the market\'s next message', () => {
    const merge = new SignalMerge(['BTC/USDT', 'ETH/USDT', 'SOL/USDT'], { clock: new SimulatedClock(), flushMs: undefined });
    const out: Envelope[] = [];
    const deliver = (m: Envelope): void => void out.push(m);
    merge.inbound(message('analysis', 'signal.emitted', 'SOL/USDT'), deliver);
    merge.inbound(message('analysis', 'signal.rejected', 'BTC/USDT'), deliver);
    merge.inbound(message('analysis', 'signal.emitted', 'SOL/USDT'), deliver);
    merge.inbound(message('analysis', 'agent.heartbeat'), deliver);
    merge.inbound(message('analysis', 'signal.emitted', 'ETH/USDT'), deliver);
    expect(names(out)).toEqual(['agent.heartbeat:']);
    merge.inbound(message('data', 'market.period'), deliver);
    expect(names(out)).toEqual(['agent.heartbeat:', 'signal.rejected:BTC/USDT', 'signal.emitted:ETH/USDT', 'signal.emitted:SOL/USDT', 'signal.emitted:SOL/USDT', 'market.period:']);
    // Two signals of one symbol keep the order they came in.
    expect(out[3]!.id).toBeLessThan(out[4]!.id);
  });

  it('with live data, hands them on after flushMs when the market says nothing', () => {
    const clock = new SimulatedClock();
    const merge = new SignalMerge(['BTC/USDT', 'ETH/USDT'], { clock, flushMs: 20 });
    const out: Envelope[] = [];
    merge.inbound(message('analysis', 'signal.emitted', 'ETH/USDT'), (m) => void out.push(m));
    merge.inbound(message('analysis', 'signal.emitted', 'BTC/USDT'), (m) => void out.push(m));
    clock.advance(19);
    expect(out).toEqual([]);
    clock.advance(1);
    expect(names(out)).toEqual(['signal.emitted:BTC/USDT', 'signal.emitted:ETH/USDT']);
  });

  it('passes the trade agent\'s own signal.rejected straight on', () => {
    const merge = new SignalMerge(['BTC/USDT'], { clock: new SimulatedClock(), flushMs: undefined });
    const out: Envelope[] = [];
    merge.inbound(message('trade', 'signal.rejected', 'BTC/USDT'), (m) => void out.push(m));
    expect(out).toHaveLength(1);
  });
});
