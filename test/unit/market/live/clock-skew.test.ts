import { SimulatedClock } from '../../../../src/core/simulated-clock';
import { measureClockSkew } from '../../../../src/market/live/clock-skew';
import { FakeLiveExchange, T0 } from './fake-live-exchange';

describe('measureClockSkew', () => {
  it('compares the exchange time with the middle of the round trip on our clock', async () => {
    const clock = new SimulatedClock(T0);
    const exchange = new FakeLiveExchange(clock);
    exchange.skewMs = -2500;
    exchange.roundTripMs = 400;
    expect(await measureClockSkew(exchange, clock)).toEqual({ skewMs: -2500, roundTripMs: 400 });
  });

  it('is undefined when the exchange does not tell its time', async () => {
    const clock = new SimulatedClock(T0);
    expect(await measureClockSkew({ fetchTime: async () => undefined }, clock)).toBeUndefined();
  });
});
