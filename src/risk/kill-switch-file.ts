import fs from 'node:fs';
import path from 'node:path';

/** What the flag file says: `halt --exit` writes "exit", asking the positions to be sold first. */
export interface KillFlag {
  on: boolean;
  exit: boolean;
}

const OFF: KillFlag = Object.freeze({ on: false, exit: false });
const EXIT_WORD = 'exit';

/**
 * The kill switch's flag file: the one place that touches it, for the running bot (which looks once a
 * period) and for the `halt` and `resume` commands. The file is the switch, so it works while the bot runs,
 * before it starts, and across a restart.
 */
export function readKillFlag(file: string): KillFlag {
  if (!fs.existsSync(file)) return OFF;
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // Removed between the two calls, or unreadable: it exists, so the switch is on all the same.
  }
  return { on: true, exit: text.trim() === EXIT_WORD };
}

export function writeKillFlag(file: string, exit: boolean): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, exit ? `${EXIT_WORD}\n` : 'halt\n');
}

/** Answers whether there was a file to remove. */
export function removeKillFlag(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file, { force: true });
  return true;
}
