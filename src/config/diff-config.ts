/**
 * What changed between two configurations, key by key (strategy.params counts as one key, compared as JSON
 * with sorted object keys), and which of those changes may be applied while running.
 */
import { deepFreeze } from '../core/deep-freeze';
import { REDACTED } from '../logging/redactor';
import { getPath, setPath } from './key-path';
import { RELOADABLE_KEYS, SENSITIVE_KEYS, type BotConfig } from './schema';
import { LEAVES } from './schema-index';

export interface ConfigChange {
  key: string;
  from: unknown;
  to: unknown;
}

/** A reload that changed something: what took effect, and what waits for a restart. */
export interface ConfigChanged {
  applied: ConfigChange[];
  /** Keys that changed on disk but only take effect after a restart. */
  needRestart: string[];
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return canonicalJson(a) === canonicalJson(b);
  return Object.is(a, b);
}

/** Changed keys in schema order; values of sensitive keys are replaced by REDACTED. */
export function diffConfig(previous: BotConfig, next: BotConfig): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const key of LEAVES.keys()) {
    const from = getPath(previous, key);
    const to = getPath(next, key);
    if (same(from, to)) continue;
    changes.push(SENSITIVE_KEYS.has(key) ? { key, from: REDACTED, to: REDACTED } : { key, from, to });
  }
  return changes;
}

export interface ReloadResult {
  /** `previous` with the reloadable changes applied; deep-frozen. */
  config: BotConfig;
  applied: ConfigChange[];
  /** Changes that only take effect after a restart. */
  needRestart: ConfigChange[];
}

export function applyReloadable(previous: BotConfig, changes: readonly ConfigChange[]): ReloadResult {
  const applied: ConfigChange[] = [];
  const needRestart: ConfigChange[] = [];
  const config = structuredClone(previous) as unknown as Record<string, unknown>;
  for (const change of changes) {
    if (!LEAVES.has(change.key)) throw new Error(`applyReloadable: ${change.key} is not a configuration key`);
    if (RELOADABLE_KEYS.has(change.key) && !SENSITIVE_KEYS.has(change.key)) {
      setPath(config, change.key, structuredClone(change.to));
      applied.push(change);
    } else {
      needRestart.push(change);
    }
  }
  return { config: deepFreeze(config as unknown as BotConfig), applied, needRestart };
}
