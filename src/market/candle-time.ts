/**
 * Candle times as data files write them, turned into ms since 1970 (UTC). Numbers below 1e11 are seconds:
 * read as ms they would fall before March 1973, long before any crypto market, while as seconds they reach
 * the year 5138. From 1e14 ms (also the year 5138) on, a number is taken to be µs or ns and refused.
 */
const SECONDS_BELOW = 1e11;
const MS_BELOW = 1e14;

/** ms since 1970 for a numeric time in seconds or ms; undefined when it cannot be a candle time. */
export function epochMs(value: number): number | undefined {
  if (!(value >= 0)) return undefined;
  const ms = value < SECONDS_BELOW ? Math.round(value * 1000) : value;
  return Number.isInteger(ms) && ms < MS_BELOW ? ms : undefined;
}

const NUMERIC = /^\d+(?:\.\d+)?$/;
/** ISO-8601 / RFC 3339: "T" or a space before the time, optional seconds and fraction, optional zone. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** CryptoDataDownload's "2019-10-17 09-AM", common in hobby data sets. */
const TWELVE_HOUR = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2})-(AM|PM)$/i;

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number | undefined {
  if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
/** Leap days in the years before `year`, from year 1 on. */
const leapDaysBefore = (year: number): number => Math.floor((year - 1) / 4) - Math.floor((year - 1) / 100) + Math.floor((year - 1) / 400);
const DAYS_BEFORE_1970 = 1969 * 365 + leapDaysBefore(1970);

/**
 * What parseTimeText makes of a UTC date and time already split into numbers (NaN for a missing one): its ms
 * since 1970, or NaN when parseTimeText would refuse it. The same as utc() and the range check that follows
 * it, by arithmetic instead of Date, for the fast path that reads a million of them.
 */
export function utcMsOfPlainDate(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  if (!(year >= 1970 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  const leap = isLeapYear(year) ? 1 : 0;
  if (day > DAYS_IN_MONTH[month - 1]! + (month === 2 ? leap : 0)) return NaN;
  const days = (year - 1) * 365 + leapDaysBefore(year) - DAYS_BEFORE_1970 + CUMULATIVE_DAYS[month - 1]! + (month > 2 ? leap : 0) + day - 1;
  const time = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
  return time < MS_BELOW ? time : NaN;
}

function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}

function fromIso(m: RegExpExecArray): number | undefined {
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
  const offset = zoneOffsetMs(zone);
  return local === undefined || offset === undefined ? undefined : local - offset;
}

function fromTwelveHour(m: RegExpExecArray): number | undefined {
  const [, y, mo, d, h, half] = m;
  const hour = Number(h);
  if (hour < 1 || hour > 12) return undefined;
  const hour24 = (hour % 12) + (half!.toUpperCase() === 'PM' ? 12 : 0);
  return utc(Number(y), Number(mo), Number(d), hour24, 0, 0, 0);
}

/**
 * ms since 1970 for a time written as text: seconds or ms since 1970, an ISO-8601 date or date-time (a
 * missing zone means UTC, as exchanges give their data), or "YYYY-MM-DD HH-AM". Undefined otherwise.
 */
export function parseTimeText(text: string): number | undefined {
  if (NUMERIC.test(text)) return epochMs(Number(text));
  const iso = ISO.exec(text);
  const twelve = iso ? undefined : TWELVE_HOUR.exec(text);
  const ms = iso ? fromIso(iso) : twelve ? fromTwelveHour(twelve) : undefined;
  return ms !== undefined && ms >= 0 && ms < MS_BELOW ? ms : undefined;
}

/** "5m", "4h", "3d", "90s", "1500 ms": a step between candles, in the units timeframes use. */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, length] of units) if (ms % length === 0) return `${ms / length}${unit}`;
  return `${ms} ms`;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
