import fs from 'node:fs';

/** Calls `onChange` when the file's content may have changed; returns a function that stops watching. */
export type FileWatcher = (file: string, onChange: () => void) => () => void;

/**
 * Polls the file's stat. Unlike fs.watch it survives editors that save by replacing the file, and it never
 * keeps the process alive.
 */
export const pollFile: FileWatcher = (file, onChange) => {
  const listener = (current: fs.Stats, previous: fs.Stats): void => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) onChange();
  };
  fs.watchFile(file, { interval: 500, persistent: false }, listener);
  return () => fs.unwatchFile(file, listener);
};
