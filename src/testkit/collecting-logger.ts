import type { LogLevel, RootLogger } from '../logging/logger';

/**
 * The engine's logger in a test run: nothing printed (a test's output is its assertions), warnings and
 * errors kept so a run can show what the engine complained about (a refused order, a disabled strategy).
 */
export class CollectingLogger implements RootLogger {
  constructor(
    readonly lines: string[] = [],
    private readonly agent?: string,
  ) {}

  error(message: string): void {
    this.lines.push(this.line('error', message));
  }
  warn(message: string): void {
    this.lines.push(this.line('warn', message));
  }
  info(): void {}
  debug(): void {}
  child(meta: { agent: string }): CollectingLogger {
    return new CollectingLogger(this.lines, meta.agent);
  }
  isEnabled(level: LogLevel): boolean {
    return level === 'error' || level === 'warn';
  }
  setLevel(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }

  private line(level: LogLevel, message: string): string {
    return this.agent === undefined ? `${level}: ${message}` : `${level} [${this.agent}]: ${message}`;
  }
}
