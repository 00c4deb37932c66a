import fs from 'node:fs';
import path from 'node:path';

/**
 * npm 11 runs a dependency's install script unless package.json's allowScripts says false, and warns at every
 * install about each one it does not mention. Every package with an install script must be decided on, with
 * its reason in the commit that set it, so a new one (a new dependency, or an old one gaining a script)
 * fails here instead of running unreviewed.
 */
const root = path.resolve(__dirname, '../../..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

interface LockEntry {
  version?: string;
  hasInstallScript?: boolean;
}

/** `node_modules/a/node_modules/@scope/b` -> `@scope/b`. */
const nameOf = (lockPath: string): string => lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);

const lockPackages = readJson('package-lock.json')['packages'] as Record<string, LockEntry>;
const withInstallScript = Object.entries(lockPackages)
  .filter(([lockPath, entry]) => lockPath !== '' && entry.hasInstallScript === true)
  .map(([lockPath, entry]) => ({ name: nameOf(lockPath), version: entry.version ?? '' }));
const allowScripts = (readJson('package.json')['allowScripts'] ?? {}) as Record<string, unknown>;

/** An allowScripts key names a package bare (`pkg`) or pinned (`pkg@1.2.3`, `@scope/pkg@1.2.3`). */
const keyName = (key: string): string => {
  const at = key.indexOf('@', 1);
  return at < 0 ? key : key.slice(0, at);
};

describe('package.json allowScripts', () => {
  it('decides, true or false, on every package of package-lock.json that has an install script', () => {
    expect(withInstallScript.length).toBeGreaterThan(0);
    const undecided = withInstallScript.filter(({ name, version }) => {
      const value = allowScripts[name] ?? allowScripts[`${name}@${version}`];
      return typeof value !== 'boolean';
    });
    expect(undecided.map(({ name, version }) => `${name}@${version}`)).toEqual([]);
  });

  it('names no package that is not in package-lock.json with an install script (a leftover of a removed one)', () => {
    const scripted = new Set(withInstallScript.map(({ name }) => name));
    expect(Object.keys(allowScripts).filter((key) => !scripted.has(keyName(key)))).toEqual([]);
  });
});
