import { phaseTimes } from '../../../src/cli/phase-times';

describe('phaseTimes', () => {
  it('says each part in seconds and the rate of candles played', () => {
    expect(phaseTimes(2_195_000, { loadMs: 231, runMs: 1_000, outputMs: 4_567 })).toBe('took: loading 0.23 s, playing 1.00 s, 2,195,000 candles/s, outputs 4.57 s');
  });

  it('gives no rate for a run too short to time', () => {
    expect(phaseTimes(10, { loadMs: 0, runMs: 0, outputMs: 1 })).toBe('took: loading 0.00 s, playing 0.00 s, outputs 0.00 s');
  });
});
