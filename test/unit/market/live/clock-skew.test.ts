import { SimulatedClock } from '../../../../src/core/simulated-clock';
import { clockSkewWarning, measureClockSkew } from '../../../../src/market/live/clock-skew';
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

describe('clockSkewWarning', () => {
  it('says a small skew in ms and a large one in days, with the side and the error of the measurement', () => {
    expect(clockSkewWarning({ skewMs: 2500, roundTripMs: 300 })).toBe(
      "the exchange's clock is 2500 ms ahead of ours (±150 ms); candle closes are judged by the exchange's clock, but check this machine's time sync",
    );
    expect(clockSkewWarning({ skewMs: -89_950_147_667, roundTripMs: 3 })).toBe(
      "the exchange's clock is 1041 days behind ours (±2 ms); candle closes are judged by the exchange's clock, but check this machine's time sync",
    );
  });

  it('says why the skew may be expected when exchange.baseUrl is on this machine', () => {
    expect(clockSkewWarning({ skewMs: -89_950_147_667, roundTripMs: 3 }, '127.0.0.1:8080')).toBe(
      "the exchange's clock is 1041 days behind ours (±2 ms), as expected if exchange.baseUrl (127.0.0.1:8080, this machine) is a local exchange replaying a recorded market; candle closes are judged by the exchange's clock",
    );
  });
});
