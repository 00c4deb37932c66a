const UNITS: ReadonlyArray<readonly [name: string, ms: number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** Below this a duration is said in ms: there the milliseconds are what a reader compares. */
const SMALL_MS = 10_000;

/**
 * A duration as a person says it: "1500 ms", "42 seconds", "2 hours 5 minutes", "1041 days". Past ten of
 * its largest unit the next one is noise and left out; below that it adds one more unit, rounded. Signs
 * are the caller's wording ("behind", "ahead of"): the length of a negative duration is given.
 */
export function spokenDuration(ms: number): string {
  const length = Math.abs(ms);
  if (length < SMALL_MS) return `${Math.round(length)} ms`;
  const at = UNITS.findIndex(([, size]) => length >= size);
  const [, size] = UNITS[at]!;
  const next = UNITS[at + 1];
  const step = next === undefined || length >= 10 * size ? size : next[1];
  // Rounded first, then split: 23 h 59 min 50 s rounds to 24 h and reads "1 day", not "24 hours".
  const rounded = Math.round(length / step) * step;
  const top = UNITS.findIndex(([, unit]) => rounded >= unit);
  const [topName, topSize] = UNITS[top]!;
  const whole = Math.floor(rounded / topSize);
  const rest = rounded - whole * topSize;
  if (rest === 0) return count(whole, topName);
  const [restName, restSize] = UNITS[top + 1]!;
  return `${count(whole, topName)} ${count(rest / restSize, restName)}`;
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
