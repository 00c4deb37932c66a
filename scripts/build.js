'use strict';
/**
 * `npm run build` (and `prepare` with --if-possible, so `npm install` and `npm ci` run it): compiles src/ and strategies/ into
 * dist/ with tsc, copies the files of src/ that are not TypeScript (the dashboard's page, a worker's entry),
 * bundles the libraries src/boot/bundled-libraries.ts names into dist/vendor/ with esbuild, and writes
 * dist/build-info.json, which src/boot/compiled-build.ts reads to tell whether the build is fresh.
 * Plain JavaScript: it must run before anything is compiled.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// At install, a source that does not compile must not fail the install: the bot then runs from its sources.
const ifPossible = process.argv.includes('--if-possible');
const dist = path.join(root, 'dist');
// Taken before compiling: a source saved while tsc runs is newer than the build, so the build counts as stale.
const builtAt = Date.now();
fs.rmSync(dist, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
} catch {
  // tsc has printed what is wrong; a half-written dist/ must not pass for a build.
  fs.rmSync(dist, { recursive: true, force: true });
  process.stderr.write('build failed: tsc reported the errors above; the bot still runs from its sources (npx ts-node src/main.ts)\n');
  process.exit(ifPossible ? 0 : 1);
}
const src = path.join(root, 'src');
const files = fs.readdirSync(src, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
for (const entry of files) {
  if (entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath, entry.name);
  const to = path.join(dist, 'src', path.relative(src, from));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
const bundled = bundleLibraries();
fs.writeFileSync(path.join(dist, 'build-info.json'), `${JSON.stringify({ builtAt, sourceFiles: files.length, bundled })}\n`);
const names = Object.keys(bundled);
process.stdout.write(`built dist/ from ${files.length} source files${names.length > 0 ? `, bundled ${names.join(', ')}` : ''}\n`);

/** Each library into one CommonJS file; name -> the version bundled. Without esbuild (--omit=dev) none: they load from node_modules. */
function bundleLibraries() {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    process.stdout.write('esbuild is not installed: libraries load from node_modules, a little slower\n');
    return {};
  }
  const { BUNDLED_LIBRARIES, bundlePath, installedVersion } = require(path.join(dist, 'src', 'boot', 'bundled-libraries.js'));
  const bundled = {};
  for (const name of BUNDLED_LIBRARIES) {
    const version = installedVersion(root, name);
    if (version === undefined) continue;
    try {
      esbuild.buildSync({
        entryPoints: [require.resolve(name, { paths: [root] })],
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: `node${process.versions.node.split('.')[0]}`,
        outfile: bundlePath(root, name),
        logLevel: 'error',
      });
    } catch (error) {
      // The library then loads from node_modules, as it would without a build.
      process.stderr.write(`bundling ${name} failed (${error.message}); it loads from node_modules\n`);
      continue;
    }
    bundled[name] = version;
  }
  return bundled;
}
