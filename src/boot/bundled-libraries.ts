/**
 * Libraries that scripts/build.js bundles into one CommonJS file each under dist/vendor/, and that every
 * later require of them then loads from there: libraries every start of the bot loads, made of many
 * files. trading-signals is ESM-only, 177 files: Node's ESM loader takes some 0.07 s to load it, against
 * some 0.01 s for the same code as one CommonJS file. winston (with its 90 files of logform, async,
 * readable-stream and the rest), commander, convict and cli-progress take some 0.045 s together, bundled 0.025 s.
 *
 * Imports nothing of the bot: it runs before any of it is loaded.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

export const BUNDLED_LIBRARIES = ['trading-signals', 'winston', 'commander', 'convict', 'cli-progress'] as const;

/** Where scripts/build.js writes a library's bundle. */
export function bundlePath(root: string, name: string): string {
  return path.join(root, 'dist', 'vendor', `${name}.cjs`);
}

/** The version the build bundled of each library, from dist/build-info.json; empty without a build. */
export function bundledVersions(root: string): Record<string, string> {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'build-info.json'), 'utf8')) as { bundled?: unknown };
    const bundled = info.bundled;
    if (typeof bundled !== 'object' || bundled === null) return {};
    return Object.fromEntries(Object.entries(bundled).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/** The installed package's version, or undefined when it is not installed at the project's top level. */
export function installedVersion(root: string, name: string): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Library name -> its bundle, for each bundle that holds the very version installed now: after an
 * `npm install` of another version, the library loads from node_modules again until the next build.
 */
export function usableBundles(root: string): Map<string, string> {
  const versions = bundledVersions(root);
  const usable = new Map<string, string>();
  for (const name of BUNDLED_LIBRARIES) {
    const bundle = bundlePath(root, name);
    if (versions[name] !== undefined && versions[name] === installedVersion(root, name) && fs.existsSync(bundle)) usable.set(name, bundle);
  }
  return usable;
}

type Resolve = (request: string, parent: unknown, isMain: boolean, options: unknown) => string;

let installed = false;

/**
 * Makes every require of a bundled library load its bundle; answers the names it maps. Only a request
 * that resolves to the project's own copy is mapped: a dependency's nested copy of another version keeps its own.
 */
export function useBundledLibraries(root: string): string[] {
  const bundles = usableBundles(root);
  if (bundles.size === 0 || installed) return [...bundles.keys()];
  installed = true;
  // Node resolves to real paths: a node_modules that is a link resolves outside the project's folder.
  const topLevel = realPath(path.join(root, 'node_modules')) + path.sep;
  const moduleApi = Module as unknown as { _resolveFilename: Resolve };
  const resolve = moduleApi._resolveFilename;
  moduleApi._resolveFilename = function resolveBundled(request, parent, isMain, options): string {
    const bundle = bundles.get(request);
    const file = resolve.call(this, request, parent, isMain, options);
    return bundle !== undefined && file.startsWith(`${topLevel}${request}${path.sep}`) ? bundle : file;
  };
  return [...bundles.keys()];
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
