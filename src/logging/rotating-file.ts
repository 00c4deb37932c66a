import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors';

export interface RotatingFileOptions {
  /** The file written to, e.g. logs/bot.jsonl; older ones are logs/bot.1.jsonl, logs/bot.2.jsonl... */
  path: string;
  /** A file is rotated before the line that would take it past this; 0: never rotated. */
  maxBytes: number;
  /** Files kept, the one written to included; the oldest beyond it is deleted. At least 1. */
  maxFiles: number;
  /** A write or a rotation failed: nothing more is written. */
  onError: (error: Error) => void;
}

/**
 * Appends text to a file and rotates it by size: the full file becomes `<name>.1<ext>`, the older ones move
 * one number up, the one past `maxFiles` is deleted, and writing goes on in a new `<name><ext>`, so the
 * newest lines are always under the same name (`tail -F` follows it).
 *
 * winston's own File transport (maxsize, maxFiles, tailable) was tried first: in winston 3.19 a burst of
 * lines around a rotation loses lines, leaves empty files, or throws "write after end" out of the process.
 * Here the renames are synchronous, between two writes: a line still buffered for the old file reaches it
 * under its new name, through the descriptor it was opened with, so no line is lost or lands out of order.
 * A rotation costs a few renames once per `maxBytes`.
 */
export class RotatingFile {
  private stream: fs.WriteStream;
  private size = 0;
  private failed = false;
  private closed = false;
  /** Streams ended at a rotation, still flushing; close() waits for them. */
  private readonly retiring = new Set<Promise<void>>();
  private readonly base: string;
  private readonly ext: string;

  constructor(private readonly options: RotatingFileOptions) {
    if (!Number.isInteger(options.maxFiles) || options.maxFiles < 1) throw new RangeError(`maxFiles must be a whole number of at least 1, got ${options.maxFiles}`);
    this.ext = path.extname(options.path);
    this.base = options.path.slice(0, options.path.length - this.ext.length);
    try {
      fs.mkdirSync(path.dirname(options.path), { recursive: true });
      this.deleteBeyondMaxFiles();
      this.stream = this.open();
    } catch (err) {
      throw new UserError(`log file ${options.path} cannot be opened (${err instanceof Error ? err.message : String(err)}); set log.dir to a writable directory, or log.toFile to false`);
    }
  }

  /** The name of the `n`th older file; 0 is the one written to. */
  fileName(n: number): string {
    return n === 0 ? this.options.path : `${this.base}.${n}${this.ext}`;
  }

  write(text: string): void {
    if (this.failed || this.closed) return;
    const bytes = Buffer.byteLength(text);
    // A line longer than maxBytes still gets a file of its own rather than being cut.
    if (this.options.maxBytes > 0 && this.size > 0 && this.size + bytes > this.options.maxBytes) {
      try {
        this.rotate();
      } catch (err) {
        this.fail(err);
        return;
      }
    }
    this.stream.write(text);
    this.size += bytes;
  }

  /** Resolves once every line written is in its file and the descriptors are closed. */
  async close(): Promise<void> {
    if (!this.closed) this.retire(this.stream);
    this.closed = true;
    await Promise.all([...this.retiring]);
  }

  private open(): fs.WriteStream {
    const fd = fs.openSync(this.options.path, 'a');
    this.size = fs.fstatSync(fd).size;
    const stream = fs.createWriteStream(this.options.path, { fd });
    stream.on('error', (err) => this.fail(err));
    return stream;
  }

  private rotate(): void {
    const full = this.stream;
    const { maxFiles } = this.options;
    if (maxFiles === 1) {
      // Only the current file is kept: the full one goes, and what is still buffered for it with it.
      fs.rmSync(this.fileName(0), { force: true });
    } else {
      fs.rmSync(this.fileName(maxFiles - 1), { force: true });
      for (let n = maxFiles - 2; n >= 0; n--) renameIfThere(this.fileName(n), this.fileName(n + 1));
    }
    this.stream = this.open();
    this.retire(full);
  }

  private retire(stream: fs.WriteStream): void {
    const closed = new Promise<void>((resolve) => {
      if (stream.closed) resolve();
      else stream.once('close', () => resolve());
    });
    this.retiring.add(closed);
    void closed.then(() => this.retiring.delete(closed));
    stream.end();
  }

  /** Older files numbered past maxFiles, left by a run with a larger log.maxFiles. */
  private deleteBeyondMaxFiles(): void {
    const dir = path.dirname(this.options.path);
    const prefix = `${path.basename(this.base)}.`;
    for (const entry of fs.readdirSync(dir)) {
      if (!entry.startsWith(prefix) || !entry.endsWith(this.ext)) continue;
      const number = entry.slice(prefix.length, entry.length - this.ext.length);
      if (/^[1-9]\d*$/.test(number) && Number(number) >= this.options.maxFiles) fs.rmSync(path.join(dir, entry), { force: true });
    }
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onError(err instanceof Error ? err : new Error(String(err)));
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
