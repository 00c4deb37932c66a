import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pollFile } from '../../../src/config/watch-file';

describe('pollFile', () => {
  it('calls back when the file is rewritten and not after unwatching', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'watch-')), 'bot.json');
    fs.writeFileSync(file, '{}');
    let calls = 0;
    const changed = new Promise<void>((resolve) => {
      const stop = pollFile(file, () => {
        calls += 1;
        stop();
        resolve();
      });
    });
    // Let the first poll record the original stat before the file changes.
    await new Promise((resolve) => setTimeout(resolve, 700));
    fs.writeFileSync(file, '{ "log": { "level": "debug" } }');
    await changed;
    fs.writeFileSync(file, '{ "log": { "level": "warn" } }   ');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(calls).toBe(1);
  });
});
