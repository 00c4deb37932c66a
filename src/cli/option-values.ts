/** Small helpers the commands share for turning parsed options into settings and file names. */

/** The keys of `source` that are set, and only those: an absent option must not override a config value. */
export function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** 2026-11-24T18:05:04.123Z -> 20261124-180504: a default output name that sorts by time. */
export function compactTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
