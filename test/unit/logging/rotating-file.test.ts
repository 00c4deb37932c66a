import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/core/errors';
import { RotatingFile, type RotatingFileOptions } from '../../../src/logging/rotating-file';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'rotating-file-'));
const line = (n: number): string => `${String(n).padStart(5, '0')} ${'x'.repeat(93)}\n`; // 100 bytes

function open(dir: string, options: Partial<RotatingFileOptions> = {}): { file: RotatingFile; errors: Error[] } {
  const errors: Error[] = [];
  const file = new RotatingFile({ path: path.join(dir, 'bot.jsonl'), maxBytes: 1000, maxFiles: 3, onError: (e) => errors.push(e), ...options });
  return { file, errors };
}

const listing = (dir: string): string[] => fs.readdirSync(dir).sort();
const numbers = (text: string): number[] => text.split('\n').filter(Boolean).map((l) => Number(l.slice(0, 5)));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('RotatingFile', () => {
  it('keeps at most maxFiles files of at most maxBytes each, the newest lines in bot.jsonl and none lost or out of order among those kept', async () => {
    const dir = tempDir();
    const { file, errors } = open(dir);
    // One burst, no await: rotations while earlier lines are still buffered for the file they left.
    for (let n = 0; n < 95; n++) file.write(line(n));
    await file.close();
    expect(errors).toEqual([]);
    expect(listing(dir)).toEqual(['bot.1.jsonl', 'bot.2.jsonl', 'bot.jsonl']);
    const [current, older, oldest] = ['bot.jsonl', 'bot.1.jsonl', 'bot.2.jsonl'].map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
    expect(numbers(current!)).toEqual(range(90, 94));
    expect(numbers(older!)).toEqual(range(80, 89));
    expect(numbers(oldest!)).toEqual(range(70, 79));
    for (const text of [current!, older!, oldest!]) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
  });

  it('appends to the file a previous run left, and rotates it once full', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bot.jsonl'), line(0).repeat(9));
    const { file } = open(dir);
    file.write(line(1));
    file.write(line(2));
    await file.close();
    expect(numbers(fs.readFileSync(path.join(dir, 'bot.1.jsonl'), 'utf8'))).toEqual([...Array(9).fill(0), 1]);
    expect(numbers(fs.readFileSync(path.join(dir, 'bot.jsonl'), 'utf8'))).toEqual([2]);
  });

  it('deletes at start the older files a run with a larger maxFiles left, and nothing else', async () => {
    const dir = tempDir();
    for (const name of ['bot.1.jsonl', 'bot.2.jsonl', 'bot.3.jsonl', 'bot.12.jsonl', 'bot.x.jsonl', 'other.5.jsonl']) fs.writeFileSync(path.join(dir, name), 'old\n');
    const { file } = open(dir);
    await file.close();
    expect(listing(dir)).toEqual(['bot.1.jsonl', 'bot.2.jsonl', 'bot.jsonl', 'bot.x.jsonl', 'other.5.jsonl']);
  });

  it('with maxFiles 1 starts bot.jsonl afresh, and with maxBytes 0 never rotates', async () => {
    const one = tempDir();
    const single = open(one, { maxFiles: 1 });
    for (let n = 0; n < 25; n++) single.file.write(line(n));
    await single.file.close();
    expect(listing(one)).toEqual(['bot.jsonl']);
    expect(numbers(fs.readFileSync(path.join(one, 'bot.jsonl'), 'utf8'))).toEqual(range(20, 24));

    const unbounded = tempDir();
    const never = open(unbounded, { maxBytes: 0 });
    for (let n = 0; n < 25; n++) never.file.write(line(n));
    await never.file.close();
    expect(listing(unbounded)).toEqual(['bot.jsonl']);
    expect(numbers(fs.readFileSync(path.join(unbounded, 'bot.jsonl'), 'utf8'))).toEqual(range(0, 24));
  });

  it('gives a line longer than maxBytes a file of its own rather than cutting it', async () => {
    const dir = tempDir();
    const { file } = open(dir, { maxBytes: 150 });
    file.write(line(0));
    file.write(line(1) + line(2));
    file.write(line(3));
    await file.close();
    expect(numbers(fs.readFileSync(path.join(dir, 'bot.2.jsonl'), 'utf8'))).toEqual([0]);
    expect(numbers(fs.readFileSync(path.join(dir, 'bot.1.jsonl'), 'utf8'))).toEqual([1, 2]);
    expect(numbers(fs.readFileSync(path.join(dir, 'bot.jsonl'), 'utf8'))).toEqual([3]);
  });

  it('says in one sentence, naming the file and the keys, when the file cannot be opened', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'logs');
    fs.writeFileSync(blocker, 'a file where the log directory should be');
    const attempt = () => new RotatingFile({ path: path.join(blocker, 'bot.jsonl'), maxBytes: 1000, maxFiles: 3, onError: () => {} });
    expect(attempt).toThrow(UserError);
    expect(attempt).toThrow(new RegExp(`^log file ${blocker}/bot\\.jsonl cannot be opened \\(.*EEXIST.*\\); set log\\.dir to a writable directory, or log\\.toFile to false$`));
  });

  it('reports a failed rotation once and writes nothing after it', async () => {
    const dir = tempDir();
    const { file, errors } = open(dir, { maxFiles: 2 });
    file.write(line(0).repeat(10));
    // A directory where bot.1.jsonl should go: the rename of the full file fails.
    fs.mkdirSync(path.join(dir, 'bot.1.jsonl'));
    fs.writeFileSync(path.join(dir, 'bot.1.jsonl', 'keep'), '');
    file.write(line(1));
    file.write(line(2));
    await file.close();
    expect(errors).toHaveLength(1);
    expect(numbers(fs.readFileSync(path.join(dir, 'bot.jsonl'), 'utf8'))).toEqual(Array(10).fill(0));
  });
});
