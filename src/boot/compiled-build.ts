/**
 * Runs the bot from the JavaScript that `npm run build` (and `npm install`, through `prepare`) puts in dist/,
 * when that build is at least as new as every source file. Started as `npx ts-node src/main.ts`, the bot
 * otherwise has every module transpiled on each start, some 0.3 s before the first candle; from dist/ a
 * module is only read. A source file changed after the build makes the sources run again, as before, so an
 * edit is never hidden behind an old build.
 *
 * Imports nothing of the bot: it runs before any of it is loaded.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

/** Written by scripts/build.js: when the build started, and how many source files it saw. */
export interface BuildInfo {
  builtAt: number;
  sourceFiles: number;
}

const BUILD_INFO = 'build-info.json';

/** The project's root: the nearest folder above this file holding package.json (src/boot and dist/src/boot alike). */
export function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
}

export function readBuildInfo(root: string): BuildInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(root, 'dist', BUILD_INFO), 'utf8')) as Partial<BuildInfo>;
    return typeof info.builtAt === 'number' && typeof info.sourceFiles === 'number' ? { builtAt: info.builtAt, sourceFiles: info.sourceFiles } : undefined;
  } catch {
    return undefined;
  }
}

/** Every file under src/, the ones the build compiles or copies. */
export function sourceFiles(root: string): string[] {
  const dir = path.join(root, 'src');
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The first source file changed (or a file added or removed) since the build, or undefined when the build is fresh. */
export function staleBecause(root: string, info: BuildInfo): string | undefined {
  const files = sourceFiles(root);
  for (const file of files) if (fs.statSync(file).mtimeMs > info.builtAt) return `${path.relative(root, file)} changed after the build`;
  if (files.length !== info.sourceFiles) return `src/ holds ${files.length} files, the build saw ${info.sourceFiles}`;
  return undefined;
}

/**
 * A strategy's compiled form in dist/strategies when it is at least as new as the .ts file, else undefined.
 * Strategies are checked one by one: a user editing one keeps the compiled bot and runs that one from source.
 */
export function compiledStrategy(root: string, file: string): string | undefined {
  const relative = path.relative(path.join(root, 'strategies'), file);
  if (relative.startsWith('..') || path.isAbsolute(relative) || !file.endsWith('.ts') || file.endsWith('.d.ts')) return undefined;
  const compiled = path.join(root, 'dist', 'strategies', `${relative.slice(0, -3)}.js`);
  try {
    return fs.statSync(compiled).mtimeMs >= fs.statSync(file).mtimeMs ? compiled : undefined;
  } catch {
    return undefined;
  }
}

type Resolve = (request: string, parent: unknown, isMain: boolean, options: unknown) => string;

let installed = false;

/**
 * From the sources (`__filename` ends in .ts): when dist/ is fresh, makes every later require of a module of
 * src/ or strategies/ load its compiled counterpart, and returns true; false leaves everything as it was.
 * From dist/ itself (`node dist/src/main.js`): does the same for whatever a strategy run from its .ts file
 * requires, and says on stderr when the build is older than the sources.
 */
export function useCompiledBuild(entry: string, stderr: { write(text: string): unknown } = process.stderr): boolean {
  const root = projectRoot(path.dirname(entry));
  const info = readBuildInfo(root);
  const fromSources = entry.endsWith('.ts');
  if (info === undefined) return false;
  const stale = staleBecause(root, info);
  if (stale !== undefined) {
    if (!fromSources) stderr.write(`warning: dist/ is older than the sources (${stale}); run npm run build, or start the bot with npx ts-node src/main.ts\n`);
    if (fromSources) return false;
  }
  if (installed) return true;
  installed = true;
  const moduleApi = Module as unknown as { _resolveFilename: Resolve };
  const resolve = moduleApi._resolveFilename;
  const srcDir = path.join(root, 'src') + path.sep;
  moduleApi._resolveFilename = function resolveCompiled(request, parent, isMain, options): string {
    const file = resolve.call(this, request, parent, isMain, options);
    if (!file.endsWith('.ts')) return file;
    // From dist/ too: a strategy run from its .ts file then shares the compiled bot's modules, not a second copy.
    if (file.startsWith(srcDir)) {
      const compiled = path.join(root, 'dist', 'src', `${file.slice(srcDir.length, -3)}.js`);
      if (fs.existsSync(compiled)) return compiled;
    }
    return compiledStrategy(root, file) ?? file;
  };
  return true;
}
