#!/usr/bin/env node
/** Command-line entry: `npx ts-node src/main.ts --help`, or `node dist/src/main.js --help` once built. */
import { useBundledLibraries } from './boot/bundled-libraries';
import { projectRoot, useCompiledBuild } from './boot/compiled-build';

// Before any other module of the bot loads: the libraries the build bundled load from their bundles
// (bundled-libraries.ts), and when dist/ is fresh the bot's modules all come from there (compiled-build.ts).
useBundledLibraries(projectRoot(__dirname));
useCompiledBuild(__filename);
// Required, not imported: an import would be hoisted above the lines before, and load from the sources.
const { runCommandLine } = require('./cli/run-command-line') as typeof import('./cli/run-command-line');
runCommandLine();
