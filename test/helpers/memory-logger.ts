import type { LogLevel, RootLogger } from '../../src/logging/logger';

export interface LogLine {
  level: LogLevel;
  agent: string | undefined;
  message: string;
}

/** A logger that records lines instead of printing them, so tests can assert on what was logged. */
export class MemoryLogger implements RootLogger {
  level: LogLevel = 'debug';

  constructor(
    readonly lines: LogLine[] = [],
    private readonly agent?: string,
  ) {}

  error(message: string): void {
    this.lines.push({ level: 'error', agent: this.agent, message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', agent: this.agent, message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', agent: this.agent, message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', agent: this.agent, message });
  }
  child(meta: { agent: string }): MemoryLogger {
    return new MemoryLogger(this.lines, meta.agent);
  }
  isEnabled(): boolean {
    return true;
  }
  setLevel(level: LogLevel): void {
    this.level = level;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }

  messages(level?: LogLevel): string[] {
    return this.lines.filter((line) => level === undefined || line.level === level).map((line) => line.message);
  }
}
