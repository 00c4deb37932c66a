import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { bundlePath, bundledVersions, usableBundles, useBundledLibraries } from '../../../src/boot/bundled-libraries';

type Resolve = (request: string, parent: unknown, isMain: boolean) => string;
const moduleApi = Module as unknown as { _resolveFilename: Resolve; _nodeModulePaths(from: string): string[] };

/** A project with trading-signals installed at `installed`, a build that bundled `bundled`, and a dependency holding its own older copy. */
function project(installed: string, bundled: string | undefined): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-libraries-'));
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('package.json', '{}');
  write('node_modules/trading-signals/package.json', JSON.stringify({ name: 'trading-signals', version: installed, main: 'index.js' }));
  write('node_modules/trading-signals/index.js', '');
  write('node_modules/old-dep/node_modules/trading-signals/package.json', JSON.stringify({ name: 'trading-signals', version: '1.0.0', main: 'index.js' }));
  write('node_modules/old-dep/node_modules/trading-signals/index.js', '');
  write('node_modules/old-dep/index.js', '');
  if (bundled !== undefined) {
    write('dist/build-info.json', JSON.stringify({ builtAt: 1, sourceFiles: 1, bundled: { 'trading-signals': bundled } }));
    write('dist/vendor/trading-signals.cjs', '');
  }
  return root;
}

/** Where a require from `file` (inside the project) resolves `request` to. */
function resolveFrom(file: string, request: string): string {
  const parent = new Module(file);
  parent.filename = file;
  parent.paths = moduleApi._nodeModulePaths(path.dirname(file));
  return moduleApi._resolveFilename(request, parent, false);
}

describe('bundled libraries', () => {
  const original = moduleApi._resolveFilename;
  afterAll(() => {
    moduleApi._resolveFilename = original;
  });

  it('has none without a build, or when the build bundled another version than the one installed', () => {
    expect(usableBundles(project('8.3.0', undefined)).size).toBe(0);
    expect(bundledVersions(project('8.3.0', undefined))).toEqual({});
    expect(usableBundles(project('8.4.0', '8.3.0')).size).toBe(0);
  });

  it('has none when the bundle file itself is gone', () => {
    const root = project('8.3.0', '8.3.0');
    fs.rmSync(bundlePath(root, 'trading-signals'));
    expect(usableBundles(root).size).toBe(0);
  });

  it('sends the project\'s requires of the library to its bundle, and leaves a dependency\'s own copy alone', () => {
    const root = project('8.3.0', '8.3.0');
    expect([...usableBundles(root)]).toEqual([['trading-signals', bundlePath(root, 'trading-signals')]]);
    expect(useBundledLibraries(root)).toEqual(['trading-signals']);
    expect(resolveFrom(path.join(root, 'strategies', 'mine.js'), 'trading-signals')).toBe(bundlePath(root, 'trading-signals'));
    expect(resolveFrom(path.join(root, 'node_modules', 'old-dep', 'index.js'), 'trading-signals')).toBe(
      path.join(root, 'node_modules', 'old-dep', 'node_modules', 'trading-signals', 'index.js'),
    );
    expect(resolveFrom(path.join(root, 'strategies', 'mine.js'), 'old-dep')).toBe(path.join(root, 'node_modules', 'old-dep', 'index.js'));
  });

  it('finds the project\'s own copy when node_modules is a link to a folder elsewhere', () => {
    const elsewhere = project('8.3.0', '8.3.0');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-libraries-linked-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{}');
    fs.symlinkSync(path.join(elsewhere, 'node_modules'), path.join(root, 'node_modules'));
    fs.cpSync(path.join(elsewhere, 'dist'), path.join(root, 'dist'), { recursive: true });
    // This file's module state has a hook installed by the test before; a fresh copy installs its own.
    jest.isolateModules(() => {
      const fresh = require('../../../src/boot/bundled-libraries') as typeof import('../../../src/boot/bundled-libraries');
      expect(fresh.useBundledLibraries(root)).toEqual(['trading-signals']);
    });
    expect(resolveFrom(path.join(root, 'strategies', 'mine.js'), 'trading-signals')).toBe(bundlePath(root, 'trading-signals'));
  });
});
