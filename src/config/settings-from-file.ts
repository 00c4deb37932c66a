/**
 * Turns the object read from a config file into validated settings: every key must exist in the schema (with
 * a suggestion when it looks like a typo), groups must be objects, values must fit their format, and
 * sensitive keys may not appear at all (secrets come from the environment only).
 */
import { checkValue, configError, invalidValueError } from './check-value';
import { closestKey } from './closest-key';
import { GROUPS, KNOWN_PATHS, LEAVES, type Setting } from './schema-index';

const PLAIN_NAME = /^[A-Za-z0-9_$-]+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

function unknownKeyMessage(givenPath: string, prefix: string, name: string): string {
  const shown = PLAIN_NAME.test(name) ? join(prefix, name) : join(prefix, JSON.stringify(name));
  const where = `Unknown key ${shown} in config file ${givenPath}`;
  const dotted = join(prefix, name);
  if (name.includes('.') && (LEAVES.has(dotted) || GROUPS.has(dotted))) {
    const [first, ...rest] = name.split('.');
    return `${where}; write it nested, as {${JSON.stringify(first)}: {${JSON.stringify(rest.join('.'))}: ...}}, not as one dotted name.`;
  }
  const suggestion = closestKey(dotted, KNOWN_PATHS);
  if (suggestion !== undefined) return `${where}; did you mean ${suggestion}?`;
  const siblings = GROUPS.get(prefix) ?? [];
  return prefix === ''
    ? `${where}; the top-level keys are ${siblings.join(', ')}.`
    : `${where}; the keys of ${prefix} are ${siblings.join(', ')}.`;
}

function collect(node: Record<string, unknown>, prefix: string, givenPath: string, out: Setting[]): void {
  const where = `in config file ${givenPath}`;
  for (const [name, value] of Object.entries(node)) {
    const key = join(prefix, name);
    const leaf = name.includes('.') ? undefined : LEAVES.get(key);
    if (leaf !== undefined) {
      if (leaf.item.sensitive === true) {
        throw configError(
          `Config file ${givenPath} sets the secret ${key}, but secrets are read only from the environment: ` +
            `remove it from the file and set ${leaf.item.env} instead.`,
        );
      }
      checkValue(leaf, value, where);
      out.push({ key, value });
      continue;
    }
    const children = name.includes('.') ? undefined : GROUPS.get(key);
    if (children !== undefined) {
      if (!isPlainObject(value)) {
        throw invalidValueError(key, value, where, `${key} is a group of settings and must be an object with keys among ${children.join(', ')}`, false);
      }
      collect(value, key, givenPath, out);
      continue;
    }
    throw configError(unknownKeyMessage(givenPath, prefix, name));
  }
}

export function settingsFromFile(data: Record<string, unknown>, givenPath: string): Setting[] {
  const out: Setting[] = [];
  collect(data, '', givenPath, out);
  return out;
}
