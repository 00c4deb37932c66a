import { spokenDuration } from '../../../src/core/spoken-duration';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('spokenDuration', () => {
  it('says a small duration in ms, rounded', () => {
    expect(spokenDuration(0)).toBe('0 ms');
    expect(spokenDuration(1500)).toBe('1500 ms');
    expect(spokenDuration(9999.4)).toBe('9999 ms');
  });

  it('says a larger one in its largest unit, singular or plural', () => {
    expect(spokenDuration(10 * SECOND)).toBe('10 seconds');
    expect(spokenDuration(42_400)).toBe('42 seconds');
    expect(spokenDuration(MINUTE)).toBe('1 minute');
    expect(spokenDuration(2 * HOUR)).toBe('2 hours');
    expect(spokenDuration(DAY)).toBe('1 day');
  });

  it('adds the next unit below ten of the largest, and leaves it out from ten on', () => {
    expect(spokenDuration(MINUTE + SECOND)).toBe('1 minute 1 second');
    expect(spokenDuration(2 * HOUR + 5 * MINUTE + 20 * SECOND)).toBe('2 hours 5 minutes');
    expect(spokenDuration(3 * DAY + 4 * HOUR)).toBe('3 days 4 hours');
    expect(spokenDuration(15 * HOUR + 20 * MINUTE)).toBe('15 hours');
  });

  it('says the skew of the fake exchange replaying 2023 candles in days', () => {
    expect(spokenDuration(-89_950_147_667)).toBe('1041 days');
  });

  it('rounds before it splits, so a carry reads as the larger unit', () => {
    expect(spokenDuration(DAY - 10 * SECOND)).toBe('1 day');
    expect(spokenDuration(10 * MINUTE - 400)).toBe('10 minutes');
    expect(spokenDuration(HOUR - 20 * SECOND)).toBe('1 hour');
    expect(spokenDuration(10 * DAY - 20 * MINUTE)).toBe('10 days');
  });
});
