import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/logging/logger';
import { REDACTED, Redactor } from '../../../src/logging/redactor';
import { SimulatedClock } from '../../../src/core/simulated-clock';

const SECRET = 'canary-S3CR3T"with\\quotes';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('Redactor', () => {
  it('masks every occurrence of each secret, raw or JSON-escaped', () => {
    const redactor = new Redactor([SECRET, 'abc']);
    const text = `key=${SECRET} json=${JSON.stringify({ s: SECRET })} abcabc`;
    const out = redactor.redact(text);
    expect(out).not.toContain('canary-S3CR3T');
    expect(out).not.toContain('abc');
    expect(out.split(REDACTED).length - 1).toBe(4);
  });

  it('ignores empty secrets and leaves text alone without secrets', () => {
    const redactor = new Redactor(['']);
    expect(redactor.active).toBe(false);
    expect(redactor.redact('nothing to hide')).toBe('nothing to hide');
  });
});

describe('createLogger', () => {
  it('writes readable console lines with the clock time, level and agent', async () => {
    const out = capture();
    const logger = createLogger({
      level: 'info',
      clock: new SimulatedClock(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
      redactor: new Redactor(),
      console: { stream: out.stream, color: false },
    });
    logger.child({ agent: 'trade' }).info('order placed', { qty: 1.5 });
    logger.debug('hidden at info');
    await logger.close();
    expect(out.text()).toBe('03:04:05.678 INFO  [trade] order placed {"qty":1.5}\n');
  });

  it('changes level at run time', async () => {
    const out = capture();
    const logger = createLogger({ level: 'info', clock: new SimulatedClock(0), redactor: new Redactor(), console: { stream: out.stream, color: false } });
    logger.setLevel('debug');
    logger.debug('now visible');
    await logger.close();
    expect(out.text()).toContain('DEBUG now visible');
  });

  it('redacts secrets in messages, nested objects and errors on the console and in the JSON-lines file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logger-'));
    const file = path.join(dir, 'logs', 'bot.jsonl');
    const out = capture();
    const logger = createLogger({
      level: 'debug',
      clock: new SimulatedClock(0),
      redactor: new Redactor([SECRET]),
      console: { stream: out.stream, color: false },
      file: { path: file, maxBytes: 0, maxFiles: 1 },
    });
    const log = logger.child({ agent: 'trade' });
    log.info(`signing with ${SECRET}`);
    log.debug('request', { headers: { nested: { secret: SECRET } } });
    log.error('exchange said no', new Error(`invalid key ${SECRET}`));
    await logger.close();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', agent: 'trade', message: `signing with ${REDACTED}` });
    for (const text of [out.text(), lines.join('\n')]) {
      expect(text).not.toContain('canary-S3CR3T');
      expect(text).toContain(REDACTED);
    }
  });

  it('rotates the JSON-lines file by size and keeps maxFiles of them, every line of those whole', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logger-'));
    const file = path.join(dir, 'bot.jsonl');
    const logger = createLogger({
      level: 'info',
      clock: new SimulatedClock(0),
      redactor: new Redactor([]),
      console: { stream: capture().stream, color: false },
      file: { path: file, maxBytes: 10_000, maxFiles: 4 },
    });
    // About 150 bytes a line, 100 KB in all: ten times the size of a file.
    for (let n = 0; n < 700; n++) logger.info(`line ${String(n).padStart(4, '0')} ${'x'.repeat(80)}`);
    await logger.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['bot.1.jsonl', 'bot.2.jsonl', 'bot.3.jsonl', 'bot.jsonl']);
    const kept = ['bot.3.jsonl', 'bot.2.jsonl', 'bot.1.jsonl', 'bot.jsonl'].flatMap((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(10_000);
      return text
        .trim()
        .split('\n')
        .map((jsonLine) => Number((JSON.parse(jsonLine) as { message: string }).message.slice(5, 9)));
    });
    // The newest lines, in order and none missing, up to the last one written.
    expect(kept.at(-1)).toBe(699);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 700 - kept.length + i));
    expect(kept.length).toBeGreaterThan(150);
  });

  it('says once on the console when the log file fails, and keeps logging there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logger-'));
    const file = path.join(dir, 'bot.jsonl');
    // A directory with a file in it where the full bot.jsonl is to be renamed: the rotation fails.
    fs.mkdirSync(path.join(dir, 'bot.1.jsonl'));
    fs.writeFileSync(path.join(dir, 'bot.1.jsonl', 'keep'), '');
    const out = capture();
    const logger = createLogger({ level: 'info', clock: new SimulatedClock(0), redactor: new Redactor([]), console: { stream: out.stream, color: false }, file: { path: file, maxBytes: 100, maxFiles: 2 } });
    for (let n = 0; n < 4; n++) logger.info(`line ${n} ${'x'.repeat(80)}`);
    await logger.close();
    expect(out.text().split('\n').filter((l) => l.startsWith(`log file ${file} failed (`) && l.endsWith('); nothing more is written to it'))).toHaveLength(1);
    expect(out.text()).toContain('line 3 ');
  });
});
