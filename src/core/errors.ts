/** Exit codes of every command: documented in the README, asserted by the integration tests. */
export const ExitCode = {
  ok: 0,
  runtimeFailure: 1,
  badUsage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A mistake in what the user gave us (command line, config, data file, strategy file). Its message is one
 * sentence naming the file, key or line; main prints it alone, without a stack, and exits 2.
 */
export class UserError extends Error {
  readonly exitCode: ExitCode = ExitCode.badUsage;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export class ConfigError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** An operator's command the bot refuses (an unknown symbol or agent, a key that is not reloadable, a bad value): one sentence. */
export class ControlRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlRefused';
  }
}
