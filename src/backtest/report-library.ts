import fs from 'node:fs';
import path from 'node:path';

const STANDALONE_FILE = 'lightweight-charts.standalone.production.js';

let cached: string | undefined;

/**
 * The text of lightweight-charts' standalone build (it defines the global `LightweightCharts`), ready to be
 * inlined in a <script> element. Read once per process: every report of a run inlines the same ~200 kB.
 */
export function chartLibraryScript(): string {
  cached ??= inlineSafe(fs.readFileSync(chartLibraryPath(), 'utf8'));
  return cached;
}

// The package exports only ESM entry points, so require.resolve of the bare name fails under CommonJS;
// its package.json is exported on purpose, and the standalone build sits in dist/ next to it. The dashboard
// serves the same file as an asset of its own.
export function chartLibraryPath(): string {
  return path.join(path.dirname(require.resolve('lightweight-charts/package.json')), 'dist', STANDALONE_FILE);
}

/**
 * Inside a <script> element the HTML parser ends the script at the first "</script", whatever the JavaScript
 * around it. "<\/" means the same as "</" wherever such text can legally occur in JavaScript (strings,
 * template literals, regular expressions, comments). "<!--" would switch the parser into a state where the
 * real closing tag is missed and cannot be rewritten safely, so a build containing it is refused.
 */
function inlineSafe(code: string): string {
  if (code.includes('<!--')) throw new Error(`${STANDALONE_FILE} contains "<!--" and cannot be inlined in a <script> element`);
  return code.replace(/<\/(script)/gi, '<\\/$1');
}
