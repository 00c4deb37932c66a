import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockStateFile } from '../../../src/state/run-lock';

describe('lockStateFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-lock-'));
  const file = path.join(dir, 'paper.sqlite');
  // A process that runs here and is not us: as a pid written by a bot in another container may happen to be.
  const running = process.ppid;

  it('refuses a state file whose lock names a running process', () => {
    fs.writeFileSync(`${file}.lock`, String(running));
    expect(() => lockStateFile(file)).toThrow(`is in use by another running bot (pid ${running})`);
  });

  it('takes the lock over when the trade side\'s Redis lock is ours, whatever pid it names', () => {
    fs.writeFileSync(`${file}.lock`, String(running));
    const unlock = lockStateFile(file, { heldElsewhere: true });
    expect(fs.readFileSync(`${file}.lock`, 'utf8')).toBe(String(process.pid));
    unlock();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});
