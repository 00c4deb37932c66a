import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `text` into a temporary file in the same directory, then renames it over `file`: a reader, or a
 * process killed meanwhile, sees the old file or the new one, never half of one. The directory must exist.
 */
export function writeFileAtomically(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}
