/**
 * Turns command-line flags (dotted key -> value; undefined means "not given") into validated settings.
 * String values are converted like environment variables; values a flag parser already typed are checked as
 * they are. Secrets may not be given as flags: they would show in the shell history and the process list.
 */
import { checkValue, configError, convertAndCheck } from './check-value';
import { closestKey } from './closest-key';
import { LEAVES, type Setting } from './schema-index';

export function settingsFromFlags(flags: Readonly<Record<string, unknown>>, flagNames: Readonly<Record<string, string>> = {}): Setting[] {
  const out: Setting[] = [];
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const leaf = LEAVES.get(key);
    if (leaf === undefined) {
      const suggestion = closestKey(key, LEAVES.keys());
      throw configError(
        suggestion !== undefined
          ? `Unknown command-line flag for ${key}; did you mean ${suggestion}?`
          : `Unknown command-line flag for ${key}: there is no such setting.`,
      );
    }
    const flag = flagNames[key];
    const where = flag !== undefined ? `from ${flag}` : `from the command-line flag for ${key}`;
    if (leaf.item.sensitive === true) {
      throw configError(`The command-line flag for ${key} is refused because secrets are read only from the environment: set ${leaf.item.env} instead.`);
    }
    if (typeof value === 'string') {
      out.push({ key, value: convertAndCheck(leaf, value, where) });
    } else {
      checkValue(leaf, value, where);
      out.push({ key, value });
    }
  }
  return out;
}
