import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './run-main';

const TS_NODE = require.resolve('ts-node/dist/bin.js');

export interface BotProcess {
  pid: number;
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

/**
 * The real entry point in a child process, as a user starts it (`npx ts-node src/main.ts`, minus npx, so a
 * signal reaches the bot itself). No state file unless `env` names one; nothing from the developer's shell.
 */
export function startBot(args: string[], env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [TS_NODE, 'src/main.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), BOT_STATE_FILE: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    pid: child.pid ?? -1,
    code: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    stdout: () => out,
    stderr: () => err,
    kill: (signal) => child.kill(signal),
  };
}

export function tempDir(prefix = 'bot-process-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
