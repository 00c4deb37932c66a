#!/usr/bin/env node
/** Command-line entry: `npx ts-node src/main.ts --help`, or `node dist/src/main.js --help` once built. */
import { useCompiledBuild } from './boot/compiled-build';

// Before any other module of the bot loads: when dist/ is fresh, they all come from there (compiled-build.ts).
useCompiledBuild(__filename);
// Required, not imported: an import would be hoisted above the line before, and load from the sources.
const { runCommandLine } = require('./cli/run-command-line') as typeof import('./cli/run-command-line');
runCommandLine();
