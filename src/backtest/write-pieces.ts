import fs from 'node:fs';

/** Writes `pieces` to `file` one after the other, each as it comes: a long run's text is never one string. */
export function writePieces(file: string, pieces: Iterable<string | Uint8Array>): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const piece of pieces) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      // writeSync may write less than it was given; writeFileSync loops the same way.
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    }
  } finally {
    fs.closeSync(fd);
  }
}
