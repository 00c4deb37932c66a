import { EventEmitter } from 'node:events';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import type { MainIO } from '../../src/cli/main-io';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface MainRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for a test run: no file logging, no config watching, no state file, nothing from the developer's shell. */
export function quietEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { BOT_LOG_TO_FILE: 'false', BOT_CONFIG_WATCH: 'false', BOT_STATE_FILE: 'none', ...extra };
}

/**
 * Runs the real `main` in-process with captured output. `signals` lets a test send SIGINT/SIGTERM;
 * `exits` records forced exits instead of ending Jest.
 */
export function startMain(argv: string[], env: Record<string, string> = quietEnv()) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const out = collect();
  const err = collect();
  const io: MainIO = {
    env,
    stdout: out.stream,
    stderr: err.stream,
    signals,
    exit: (code) => {
      exits.push(code);
    },
    projectRoot: PROJECT_ROOT,
  };
  const done = main(argv, io).then((code): MainRun => ({ code, stdout: out.text(), stderr: err.text() }));
  return { done, signals, exits, stdout: out.text };
}

export function runMain(argv: string[], env?: Record<string, string>): Promise<MainRun> {
  return startMain(argv, env).done;
}

function collect() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}
