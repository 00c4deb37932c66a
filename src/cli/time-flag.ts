import { UserError } from '../core/errors';
import { parseTimeText } from '../market/candle-time';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * A time given on the command line: ISO-8601 (no zone means UTC) or ms since 1970. With `wholeDay`, a date
 * alone means the end of that day, so `--to 2024-01-31` includes the 31st.
 */
export function parseTimeFlag(flag: string, text: string, options: { wholeDay?: boolean } = {}): number {
  const ms = parseTimeText(text.trim());
  if (ms === undefined) {
    throw new UserError(`${flag} "${text}" is not a date or time; use ISO-8601, like 2024-01-01 or 2024-01-01T12:00:00Z`);
  }
  return options.wholeDay === true && DATE_ONLY.test(text.trim()) ? ms + DAY_MS - 1 : ms;
}
