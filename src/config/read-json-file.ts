/**
 * Reads a JSON config file whose top level must be an object. Every problem is a one-sentence ConfigError
 * naming the file as the user gave it: missing, a directory, unreadable, empty, not JSON (with line and
 * column), or not an object at the top level.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigError } from '../core/errors';
import { configError } from './check-value';
import { findJsonSyntaxError, lineAndColumn } from './json-syntax-error';

export interface JsonFile {
  /** As given by the caller; used in messages. */
  givenPath: string;
  absolutePath: string;
  data: Record<string, unknown>;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : 'a boolean';
}

function syntaxError(givenPath: string, text: string, err: unknown): ConfigError {
  const problem = findJsonSyntaxError(text);
  if (problem) {
    return configError(`Config file ${givenPath} is not valid JSON: ${problem.reason} at line ${problem.line}, column ${problem.column}.`);
  }
  // JSON.parse and our scanner disagree (should not happen): fall back on V8's message, without the slice of
  // the text that some of its messages quote.
  const message = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(message);
  const where = position ? lineAndColumn(text, Number(position[1])) : undefined;
  const reason = message.replace(/,\s*".*$/s, '').replace(/\s*in JSON at position \d+.*$/s, '');
  return configError(`Config file ${givenPath} is not valid JSON: ${reason}${where ? ` at line ${where.line}, column ${where.column}` : ''}.`);
}

/**
 * Returns undefined when the file does not exist and `optional` is set; throws a ConfigError for anything
 * else that is wrong with it.
 */
export function readJsonFile(givenPath: string, options: { optional: boolean }): JsonFile | undefined {
  const absolutePath = path.resolve(givenPath);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(absolutePath, { throwIfNoEntry: false });
  } catch (err) {
    throw configError(`Config file ${givenPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  if (stat === undefined) {
    if (options.optional) return undefined;
    throw configError(`Config file ${givenPath} does not exist (looked for ${absolutePath}).`);
  }
  if (stat.isDirectory()) throw configError(`Config file ${givenPath} is a directory, not a JSON file.`);

  let text: string;
  try {
    text = fs.readFileSync(absolutePath, 'utf8');
  } catch (err) {
    throw configError(`Config file ${givenPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') throw configError(`Config file ${givenPath} is empty, but it must hold a JSON object such as {}.`);

  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (err) {
    throw syntaxError(givenPath, text, err);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw configError(`Config file ${givenPath} must hold a JSON object at the top level, not ${describeJsonType(data)}.`);
  }
  return { givenPath, absolutePath, data: data as Record<string, unknown> };
}
