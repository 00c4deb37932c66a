/** The README's configuration table is the user's reference: it must list every key as the schema has it. */
import fs from 'node:fs';
import path from 'node:path';
import { LEAVES } from '../../../src/config/schema-index';
import { RELOADABLE_KEYS } from '../../../src/config/schema';

const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

function tableRow(key: string): string[] | undefined {
  const line = readme.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
  return line?.split('|').map((cell) => cell.trim());
}

describe('README configuration table', () => {
  it.each([...LEAVES.values()].map((leaf) => [leaf.key, leaf] as const))('documents %s with its env name, default and reloadability', (key, leaf) => {
    const row = tableRow(key);
    expect(row).toBeDefined();
    const [, , env, defaultCell, reloadable] = row!;
    expect(env).toContain(`\`${leaf.item.env}\``);
    const def = leaf.item.default;
    const shownDefault = def === '' ? 'empty' : `\`${typeof def === 'object' ? JSON.stringify(def) : String(def)}\``;
    expect(defaultCell).toBe(shownDefault);
    expect(reloadable).toBe(RELOADABLE_KEYS.has(key) ? 'yes' : '');
  });
});
