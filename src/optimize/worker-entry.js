'use strict';
/**
 * Entry of an optimizer worker thread when the bot runs from its TypeScript sources (ts-node, Jest): a
 * worker starts with a bare Node, without the require hook of the thread that made it, so it registers
 * ts-node itself (transpile-only, as tsconfig.json says for the CLI) and then loads the worker. The pool
 * says which transpiler: `--transpiler=swc` (as the CLI) only while its own thread holds @swc/core loaded,
 * since a worker loading it after another one ended would crash the process (see worker-pool.ts); else
 * TypeScript's. Compiled to JavaScript, the pool starts trial-worker.js directly and this file is not used.
 */
const path = require('node:path');

require('ts-node').register({
  project: path.join(__dirname, '..', '..', 'tsconfig.json'),
  transpileOnly: true,
  swc: process.argv.includes('--transpiler=swc'),
});
require('./trial-worker.ts');
