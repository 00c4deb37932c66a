/**
 * Builds a long ASCII text (a CSV of a million rows) as byte chunks of about 1 MB, written straight into
 * buffers. Concatenating strings row by row made equity.csv the slowest part of a backtest: each `+=` makes a
 * rope that has to be flattened before it can become bytes, and a Date per row for its ISO time.
 */
const CHUNK_BYTES = 1 << 20;
/** Room kept free at the end of a chunk: longer than any row the callers write. */
const ROW_ROOM = 1024;
const DAY_MS = 86_400_000;

export class AsciiChunks {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private day = Number.NaN;
  /** "YYYY-MM-DDT" of `day`, as bytes. */
  private dayPrefix: Uint8Array = new Uint8Array(0);
  /** What `repeatable` wrote last, to write again by copying bytes in JS: a native call per row costs more. */
  private lastText = '';
  private lastBytes = new Uint8Array(ROW_ROOM);
  private lastLength = 0;

  /** Appends text that is ASCII (numbers, ISO times, plain names): one byte per character. */
  text(value: string): void {
    if (value.length > ROW_ROOM) throw new RangeError(`AsciiChunks takes pieces of at most ${ROW_ROOM} characters, got ${value.length}`);
    this.used += this.buffer.write(value, this.used, 'latin1');
  }

  /** Like text(), for a piece that often repeats the one before it (a flat stretch's numbers). */
  repeatable(value: string): void {
    if (value !== this.lastText) {
      this.lastText = value;
      this.lastLength = this.lastBytes.length >= value.length ? Buffer.from(this.lastBytes.buffer, this.lastBytes.byteOffset).write(value, 0, 'latin1') : 0;
    }
    if (this.lastLength !== value.length) {
      this.text(value);
      return;
    }
    const buffer = this.buffer;
    const bytes = this.lastBytes;
    let at = this.used;
    for (let i = 0; i < this.lastLength; i++) buffer[at++] = bytes[i]!;
    this.used = at;
  }

  byte(code: number): void {
    this.buffer[this.used++] = code;
  }

  /** Appends `new Date(ms).toISOString()`, without the Date: the day's part is formatted once per day. */
  isoTime(ms: number): void {
    const day = Math.floor(ms / DAY_MS);
    if (!Number.isInteger(ms) || !Number.isFinite(day)) {
      this.text(new Date(ms).toISOString());
      return;
    }
    if (day !== this.day) {
      this.day = day;
      // toISOString formats the time it is given; it does not read the clock.
      const iso = new Date(day * DAY_MS).toISOString();
      this.dayPrefix = Buffer.from(iso.slice(0, iso.indexOf('T') + 1), 'latin1');
    }
    const buffer = this.buffer;
    const prefix = this.dayPrefix;
    let at = this.used;
    for (let i = 0; i < prefix.length; i++) buffer[at++] = prefix[i]!;
    let rest = ms - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    at = twoDigits(buffer, at, hours);
    buffer[at++] = 58; // :
    at = twoDigits(buffer, at, minutes);
    buffer[at++] = 58;
    at = twoDigits(buffer, at, seconds);
    buffer[at++] = 46; // .
    buffer[at++] = 48 + Math.floor(millis / 100);
    at = twoDigits(buffer, at, millis % 100);
    buffer[at++] = 90; // Z
    this.used = at;
  }

  /** The chunk so far once it is nearly full (call it after each row), else undefined. */
  fullChunk(): Buffer | undefined {
    return this.used >= CHUNK_BYTES - ROW_ROOM ? this.take() : undefined;
  }

  /** Whatever is left, possibly empty. */
  rest(): Buffer {
    return this.take();
  }

  private take(): Buffer {
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    return chunk;
  }
}

function twoDigits(buffer: Buffer, at: number, value: number): number {
  buffer[at] = 48 + Math.floor(value / 10);
  buffer[at + 1] = 48 + (value % 10);
  return at + 2;
}
