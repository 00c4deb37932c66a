/**
 * JSON with every object's keys in sorted order and nothing optional: the same value gives the same bytes in
 * every process, so a signature over them can be checked without re-serialising what was received.
 * `undefined` members are left out, as JSON.stringify does; non-finite numbers are refused, since JSON
 * would turn them into null and the receiver would get another value than the one signed.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`cannot send the number ${value} across processes: JSON has no such value`);
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? array(value) : object(value as Record<string, unknown>);
    default:
      throw new Error(`cannot send a ${typeof value} across processes`);
  }
}

function array(values: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v);
  }
  return `${out}]`;
}

function object(record: Record<string, unknown>): string {
  // A Date (or anything with toJSON) goes as JSON.stringify would send it.
  const json = (record as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return canonicalJson(json.call(record));
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
