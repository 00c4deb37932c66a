/**
 * The schema as lookup tables: every key (leaf) by dotted path and by environment variable, and every group
 * (an object of keys, e.g. `log`). A schema node is a key when it has a `default`, as in convict.
 */
import { BOT_FORMATS, type BotFormat } from './formats';
import { configSchema, type SchemaLeaf } from './schema';

export interface LeafInfo {
  /** Dotted path, e.g. "log.level". */
  key: string;
  item: SchemaLeaf<unknown>;
  format: BotFormat;
}

function isLeaf(node: object): node is SchemaLeaf<unknown> {
  return Object.prototype.hasOwnProperty.call(node, 'default');
}

const leaves = new Map<string, LeafInfo>();
const groups = new Map<string, string[]>();

function index(node: Record<string, unknown>, prefix: string): void {
  const children: string[] = [];
  groups.set(prefix, children);
  for (const [name, child] of Object.entries(node)) {
    children.push(name);
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (typeof child !== 'object' || child === null) throw new Error(`config schema: ${key} is neither a key nor a group`);
    if (isLeaf(child)) {
      const format = BOT_FORMATS[child.format];
      if (format === undefined) throw new Error(`config schema: ${key} has an unknown format ${String(child.format)}`);
      leaves.set(key, { key, item: child, format });
    } else {
      index(child as Record<string, unknown>, key);
    }
  }
}
index(configSchema as unknown as Record<string, unknown>, '');

/** Every key of the schema, in schema order. */
export const LEAVES: ReadonlyMap<string, LeafInfo> = leaves;

/** Group path ('' for the top level) -> names of its children, in schema order. */
export const GROUPS: ReadonlyMap<string, readonly string[]> = groups;

/** Environment variable name -> key. */
export const LEAF_BY_ENV: ReadonlyMap<string, LeafInfo> = new Map([...leaves.values()].map((leaf) => [leaf.item.env, leaf]));

/** Every dotted path a source may name: groups and keys. */
export const KNOWN_PATHS: readonly string[] = [...[...groups.keys()].filter((g) => g !== ''), ...leaves.keys()];

/** One key set by one source, already converted and validated. */
export interface Setting {
  key: string;
  value: unknown;
}
