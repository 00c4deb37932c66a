import { inspect } from 'node:util';
import winston from 'winston';
import type WinstonTransport from 'winston-transport';
import type { Clock } from '../core/clock';
import type { Redactor } from './redactor';
import { RotatingFile } from './rotating-file';

import type { LogLevel } from '../config/schema';

// winston's own copy of winston-transport (winston.Transport at run time, not in its types): the one its
// loggers are built on, also when winston loads from its bundle (src/boot/bundled-libraries.ts).
const TransportStream = (winston as unknown as { Transport: typeof WinstonTransport }).Transport;

export { LOG_LEVELS, type LogLevel } from '../config/schema';

/** What agents and modules log through; a winston logger satisfies it, and so does a test double. */
export interface Logger {
  error(message: string, meta?: object): void;
  warn(message: string, meta?: object): void;
  info(message: string, meta?: object): void;
  debug(message: string, meta?: object): void;
  child(meta: { agent: string }): Logger;
  /** Whether a line at `level` would be written: lets a hot path skip building a message nobody reads. */
  isEnabled(level: LogLevel): boolean;
}

/** A line as written, secrets already masked: what the dashboard's log tail shows. */
export interface LogLine {
  level: LogLevel;
  message: string;
  agent?: string;
  /** Clock ms. */
  time: number;
}

export interface RootLogger extends Logger {
  setLevel(level: LogLevel): void;
  /** Every line written from now on (at the level in force), until the returned function is called. */
  onLine?(listener: (line: LogLine) => void): () => void;
  /** Flushes and closes every transport; call it before the process exits or the file loses its tail. */
  close(): Promise<void>;
}

export interface LoggerOptions {
  level: LogLevel;
  clock: Clock;
  redactor: Redactor;
  console: { stream: NodeJS.WritableStream; color: boolean };
  /** JSON-lines file, rotated by size (see RotatingFile); omitted when logging to file is off. */
  file?: { path: string; maxBytes: number; maxFiles: number };
}

const MESSAGE = Symbol.for('message');
const LEVEL_WIDTH = 5;
const RESERVED = new Set(['level', 'message', 'timestamp', 'agent']);

export function createLogger(options: LoggerOptions): RootLogger {
  const stampFromClock = winston.format((info) => {
    info['timestamp'] = new Date(options.clock.now()).toISOString();
    return info;
  })();
  // Runs last in every transport, on the final text, so nothing escapes it: nested objects, error messages
  // and stacks are all part of that text by then.
  const redact = winston.format((info) => {
    const text = (info as unknown as Record<symbol, unknown>)[MESSAGE];
    if (typeof text === 'string') (info as unknown as Record<symbol, unknown>)[MESSAGE] = options.redactor.redact(text);
    return info;
  })();

  const transports: winston.transport[] = [
    new winston.transports.Stream({
      stream: options.console.stream,
      format: winston.format.combine(consoleLine(options.console.color), redact),
    }),
  ];
  const file = options.file ? openFile(options.file, options) : undefined;
  if (file) transports.push(fileTransport(file, winston.format.combine(winston.format.json(), redact)));

  const logger = winston.createLogger({
    level: options.level,
    levels: LEVEL_VALUES,
    format: winston.format.combine(winston.format.errors({ stack: true }), stampFromClock),
    transports,
  });

  const threshold: Threshold = { value: LEVEL_VALUES[options.level] };
  const listeners: Array<(line: LogLine) => void> = [];
  let tail: winston.transport | undefined;
  return {
    ...levelGuarded(logger, threshold),
    onLine: (listener) => {
      listeners.push(listener);
      // Added with the first listener only: a run nobody watches pays nothing for it.
      if (tail === undefined) logger.add((tail = lineTail(listeners, options)));
      return () => {
        const at = listeners.indexOf(listener);
        if (at >= 0) listeners.splice(at, 1);
      };
    },
    setLevel: (level: LogLevel) => {
      logger.level = level;
      threshold.value = LEVEL_VALUES[level];
    },
    close: async () => {
      await closeTransports(logger, transports);
      await file?.close();
    },
  };
}

const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 3 };

/** The level in force, shared by the root logger and its children; setLevel is the only writer. */
interface Threshold {
  value: number;
}

/**
 * winston pushes every call through its stream pipeline and drops the ones below the level only at the end,
 * and even its isLevelEnabled() costs a few lookups; a number compared here keeps a filtered line on a
 * backtest's hot path nearly free.
 */
function levelGuarded(logger: winston.Logger, threshold: Threshold): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, meta?: object): void => {
      if (LEVEL_VALUES[level] <= threshold.value) logger.log(level, message, meta);
    };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (meta) => levelGuarded(logger.child(meta), threshold),
    isEnabled: (level) => LEVEL_VALUES[level] <= threshold.value,
  };
}

function consoleLine(color: boolean): winston.Logform.Format {
  const colorizer = winston.format.colorize({ colors: { error: 'red', warn: 'yellow', info: 'green', debug: 'gray' } });
  return winston.format.printf((info) => {
    const time = String(info['timestamp']).slice(11, 23);
    const levelText = String(info.level).toUpperCase().padEnd(LEVEL_WIDTH);
    const level = color ? colorizer.colorize(String(info.level), levelText) : levelText;
    const agent = info['agent'] ? `[${String(info['agent'])}] ` : '';
    return `${time} ${level} ${agent}${String(info.message)}${formatMeta(info)}`;
  });
}

function formatMeta(info: Record<string, unknown>): string {
  const entries = Object.entries(info).filter(([key]) => !RESERVED.has(key));
  if (entries.length === 0) return '';
  const { stack, ...rest } = Object.fromEntries(entries);
  const restText = Object.keys(rest).length > 0 ? ` ${safeJson(rest)}` : '';
  return typeof stack === 'string' ? `${restText}\n${stack}` : restText;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return inspect(value, { depth: 4, breakLength: Infinity });
  }
}

async function closeTransports(logger: winston.Logger, transports: winston.transport[]): Promise<void> {
  // winston's own 'finish' fires before file transports have flushed; wait for each transport instead.
  const flushed = transports.map((t) => new Promise<void>((resolve) => t.once('finish', () => resolve())));
  logger.end();
  await Promise.all(flushed);
}

function openFile(settings: NonNullable<LoggerOptions['file']>, options: LoggerOptions): RotatingFile {
  return new RotatingFile({
    ...settings,
    // The console is the one place left to say it; the run goes on, since the log file is not the run.
    onError: (error) => {
      options.console.stream.write(`${options.redactor.redact(`log file ${settings.path} failed (${error.message}); nothing more is written to it`)}\n`);
    },
  });
}

/** Each line as JSON text to the file; the file's close() flushes it, after the transports have finished. */
function fileTransport(file: RotatingFile, format: winston.Logform.Format): winston.transport {
  class FileLines extends TransportStream {
    override log(info: Record<string | symbol, unknown>, done: () => void): void {
      file.write(`${String(info[MESSAGE])}\n`);
      done();
    }
  }
  return new FileLines({ format });
}

/** A transport handing each line, redacted, to the listeners; one that throws is not the logger's problem. */
function lineTail(listeners: ReadonlyArray<(line: LogLine) => void>, options: LoggerOptions): winston.transport {
  class Tail extends TransportStream {
    override log(info: Record<string, unknown>, done: () => void): void {
      const line: LogLine = {
        level: info['level'] as LogLevel,
        message: options.redactor.redact(String(info['message'])),
        ...(typeof info['agent'] === 'string' ? { agent: info['agent'] } : {}),
        time: options.clock.now(),
      };
      for (const listener of listeners.slice()) {
        try {
          listener(line);
        } catch {
          // A listener's failure must not break logging.
        }
      }
      done();
    }
  }
  return new Tail();
}
