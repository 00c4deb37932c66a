import fs from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { compiledStrategy, projectRoot } from '../boot/compiled-build';
import { UserError, errorMessage } from '../core/errors';
import { isTimeframe, TIMEFRAMES } from '../market/timeframe';
import type { ParamSpec, StrategyDefinition } from './types';

/** Also what keeps a name from climbing out of the strategies directory ("../x") or naming a sub-path. */
const STRATEGY_NAME = /^[a-z0-9][a-z0-9-]*$/;
/** .ts when the bot runs under ts-node or jest, .js once compiled. */
const EXTENSIONS = ['.ts', '.js'] as const;

/** The strategy names in `dir`: its .ts/.js files whose names are valid strategy names, sorted. */
export function listStrategies(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new UserError(`the strategies directory ${dir} does not exist.`);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new UserError(`the strategies directory ${dir} cannot be read: ${oneLine(errorMessage(err))}.`);
  }
  const names = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const ext = EXTENSIONS.find((e) => entry.name.endsWith(e));
    if (ext === undefined || entry.name.endsWith('.d.ts')) continue;
    const name = entry.name.slice(0, -ext.length);
    if (STRATEGY_NAME.test(name)) names.add(name);
  }
  return [...names].sort();
}

/**
 * Loads `<strategiesDir>/<name>.ts` (or .js) and checks that it exports a strategy definition. Every way
 * this can go wrong is the user's (a typo, a broken file), so each is a one-sentence UserError naming the file.
 */
export function loadStrategy(name: string, strategiesDir: string, options: { fresh?: boolean } = {}): StrategyDefinition {
  const file = strategyFile(name, strategiesDir);
  let loaded: unknown;
  try {
    // require, not import(): the file is only known at run time, and ts-node/jest hook require for .ts files.
    loaded = options.fresh === true ? requireFresh(file) : requireStrategy(file);
  } catch (err) {
    throw new UserError(`strategy file ${file} failed to load: ${oneLine(errorMessage(err))}.`);
  }
  const definition = pickExport(loaded);
  if (definition === undefined) {
    throw new UserError(`strategy file ${file} has no default export (nor a "strategy" export): export default defineStrategy({...}).`);
  }
  const problem = definitionProblem(definition, name);
  if (problem !== undefined) throw new UserError(`strategy file ${file} does not export a valid strategy: ${problem}.`);
  return definition as StrategyDefinition;
}

/**
 * Checks a definition handed over in code (a test's inline strategy) as loadStrategy checks a file's export,
 * so one that passes here also loads from strategies/.
 */
export function checkStrategy(value: unknown): StrategyDefinition {
  const name = typeof value === 'object' && value !== null ? (value as { name?: unknown }).name : undefined;
  if (typeof name !== 'string' || !STRATEGY_NAME.test(name)) {
    throw new UserError(`strategy name ${JSON.stringify(name)} is invalid: use lowercase letters, digits and dashes, starting with a letter or digit.`);
  }
  const problem = definitionProblem(value, name);
  if (problem !== undefined) throw new UserError(`strategy "${name}" is not a valid strategy: ${problem}.`);
  return value as StrategyDefinition;
}

/** The file a strategy name stands for in `strategiesDir`. */
export function strategyFile(name: string, strategiesDir: string): string {
  if (!STRATEGY_NAME.test(name)) {
    throw new UserError(
      `strategy name ${JSON.stringify(name)} is invalid: use lowercase letters, digits and dashes, starting with a letter or digit.`,
    );
  }
  return findStrategyFile(name, strategiesDir);
}

/**
 * The strategy module. The bot compiled to JavaScript (dist/) takes the strategy's compiled form when it is
 * fresh, and otherwise, once, registers ts-node so the .ts file loads as it does from the sources.
 */
function requireStrategy(file: string): unknown {
  if (file.endsWith('.ts') && !__filename.endsWith('.ts')) {
    const compiled = compiledStrategy(projectRoot(), file);
    if (compiled !== undefined) return require(compiled) as unknown;
    registerTypeScript();
  }
  return require(file) as unknown;
}

function registerTypeScript(): void {
  if (require.extensions['.ts'] !== undefined) return;
  // swc only on the main thread: a worker loading it after another one ended would crash the process (see worker-pool.ts).
  (require('ts-node') as typeof import('ts-node')).register({ project: path.join(projectRoot(), 'tsconfig.json'), transpileOnly: true, swc: isMainThread });
}

let freshCopies = 0;

/**
 * The file's current content as a new module. Node and Jest both cache modules by path, and Jest ignores
 * require.cache, so the file is required through a copy with a name of its own, next to it so its relative
 * imports still resolve, and removed at once. The leading dot keeps the copy out of listStrategies.
 */
function requireFresh(file: string): unknown {
  const copy = path.join(path.dirname(file), `.reload-${process.pid}-${++freshCopies}-${path.basename(file)}`);
  fs.copyFileSync(file, copy);
  if (copy.endsWith('.ts') && !__filename.endsWith('.ts')) registerTypeScript();
  try {
    return require(copy) as unknown;
  } finally {
    fs.rmSync(copy, { force: true });
  }
}

function findStrategyFile(name: string, dir: string): string {
  for (const ext of EXTENSIONS) {
    const file = path.join(dir, name + ext);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  const available = listStrategies(dir);
  const list = available.length > 0 ? `available: ${available.join(', ')}` : 'it has no strategies';
  throw new UserError(`strategy "${name}" not found in ${dir} (${list}).`);
}

function pickExport(loaded: unknown): unknown {
  if (typeof loaded !== 'object' || loaded === null) return undefined;
  const exports = loaded as Record<string, unknown>;
  return exports['default'] ?? exports['strategy'];
}

/** What is wrong with an exported value as a StrategyDefinition named `name`, or undefined when nothing is. */
function definitionProblem(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return `the export is ${value === null ? 'null' : `a ${typeof value}`}, not an object`;
  const d = value as Record<string, unknown>;
  if (typeof d['name'] !== 'string') return 'it has no name';
  if (d['name'] !== name) return `its name "${d['name']}" differs from the file name "${name}"`;
  if (typeof d['description'] !== 'string') return 'it has no description';
  if (typeof d['warmup'] !== 'function') return 'it has no warmup() function';
  if (d['timeframe'] !== undefined && (typeof d['timeframe'] !== 'string' || !isTimeframe(d['timeframe']))) {
    return `its timeframe ${JSON.stringify(d['timeframe'])} is not one of ${TIMEFRAMES.join(' ')}`;
  }
  if (typeof d['create'] !== 'function') return 'it has no create() function';
  const params = d['params'];
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return 'it has no params object';
  for (const [param, spec] of Object.entries(params)) {
    const specProblem = paramSpecProblem(spec);
    if (specProblem !== undefined) return `its parameter "${param}" ${specProblem}`;
  }
  return undefined;
}

/** A spec whose own default does not satisfy it would make every run fail later, so it is caught here. */
function paramSpecProblem(spec: unknown): string | undefined {
  if (typeof spec !== 'object' || spec === null) return 'is not a spec object';
  const s = spec as Partial<ParamSpec> & { type?: unknown };
  switch (s.type) {
    case 'number': {
      const { default: dflt, min, max, integer } = s as Partial<Extract<ParamSpec, { type: 'number' }>>;
      if (typeof dflt !== 'number' || !Number.isFinite(dflt)) return 'has no finite number default';
      if (integer === true && !Number.isInteger(dflt)) return `has a default ${dflt} that is not an integer`;
      if (min !== undefined && dflt < min) return `has a default ${dflt} below its min ${min}`;
      if (max !== undefined && dflt > max) return `has a default ${dflt} above its max ${max}`;
      return undefined;
    }
    case 'boolean':
      return typeof s.default === 'boolean' ? undefined : 'has no boolean default';
    case 'string': {
      const { default: dflt, values } = s as Partial<Extract<ParamSpec, { type: 'string' }>>;
      if (typeof dflt !== 'string') return 'has no string default';
      if (values !== undefined && !values.includes(dflt)) return `has a default "${dflt}" that is not among its values`;
      return undefined;
    }
    default:
      return `has type ${JSON.stringify(s.type)} (expected "number", "boolean" or "string")`;
  }
}

const MAX_ERROR_CHARS = 300;

/**
 * A load error on one line: ts-node puts the useful part of a compile error on the lines after the first,
 * so lines are joined rather than cut, but Node's "Require stack" of paths is noise and is dropped.
 */
function oneLine(message: string): string {
  const withoutStack = message.split(/\n\s*Require stack:/, 1)[0] ?? '';
  const line = withoutStack.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line;
}
