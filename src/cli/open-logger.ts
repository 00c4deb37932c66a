import path from 'node:path';
import type { LoadedConfig } from '../config/load-config';
import type { Clock } from '../core/clock';
import { createLogger, type RootLogger } from '../logging/logger';
import { Redactor } from '../logging/redactor';

const MB = 1024 * 1024;

/**
 * The logger every command uses: the configured level, colours per `log.color` (auto: when the stream is a
 * terminal), the config's secrets masked (and `secrets`, e.g. the API token), and the JSON-lines file, rotated per `log.maxSizeMb` and `log.maxFiles`, when the command keeps one.
 */
export function openLogger(
  loaded: LoadedConfig,
  clock: Clock,
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  options: { toFile?: boolean; secrets?: readonly string[] } = {},
): RootLogger {
  const { log } = loaded.config;
  return createLogger({
    level: log.level,
    clock,
    redactor: new Redactor([...loaded.secrets, ...(options.secrets ?? [])]),
    console: { stream, color: log.color === 'always' || (log.color === 'auto' && stream.isTTY === true) },
    ...(options.toFile && log.toFile ? { file: { path: path.resolve(log.dir, 'bot.jsonl'), maxBytes: Math.round(log.maxSizeMb * MB), maxFiles: log.maxFiles } } : {}),
  });
}
