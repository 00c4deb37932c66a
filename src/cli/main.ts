import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ExitCode, UserError, errorMessage } from '../core/errors';
import { addCommonOptions, COMMON_OPTIONS_HELP } from './common-options';
import { addBacktestOptions, type BacktestOptions } from './backtest-options';
import { addDownloadOptions, type DownloadOptions } from './download-options';
import { addOptimizeOptions, type OptimizeOptions } from './optimize-options';
import { addPaperOptions, type PaperOptions } from './paper-options';
import type { MainIO } from './main-io';
import type { HaltOptions } from './run-kill-switch-command';
import type { StateAction, StateOptions } from './run-state-command';

/**
 * Parses the command line and runs the command; resolves with the exit code. Never calls process.exit
 * itself (but for a forced second Ctrl-C), so tests run it in-process.
 */
export async function main(argv: readonly string[], io: MainIO): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('bot')
    .description('An agent-based crypto trading bot: paper trading, backtests and live trading through ccxt.')
    .version(readVersion(io.projectRoot), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', COMMON_OPTIONS_HELP);

  addPaperOptions(
    addCommonOptions(
      program.command('paper', { isDefault: true }).description('paper-trade the simulated market (default)'),
    ),
  ).action(async (options: PaperOptions) => {
    // Loaded on use, as the other commands: the API server, Redis and the live exchange are no backtest's business.
    const { runBot } = require('./run-bot') as typeof import('./run-bot');
    exitCode = await runBot(options, io);
  });

  addBacktestOptions(
    addCommonOptions(program.command('backtest').description('replay candle files through the agents and report')),
  ).action(async (options: BacktestOptions) => {
    // Loaded on use: ccxt and the report code would add a second to every start of the bot.
    const { runBacktestCommand } = require('./run-backtest-command') as typeof import('./run-backtest-command');
    exitCode = await runBacktestCommand(options, io);
  });

  addOptimizeOptions(
    addCommonOptions(program.command('optimize').description('search a strategy\'s parameters with backtests on worker threads')),
  ).action(async (options: OptimizeOptions) => {
    const { runOptimizeCommand } = require('./run-optimize-command') as typeof import('./run-optimize-command');
    exitCode = await runOptimizeCommand(options, io);
  });

  addDownloadOptions(
    addCommonOptions(program.command('download').description('download candles from an exchange into candle files')),
  ).action(async (options: DownloadOptions) => {
    const { runDownloadCommand } = require('./run-download-command') as typeof import('./run-download-command');
    exitCode = await runDownloadCommand(options, io);
  });

  const state = program.command('state').description("show, export or back up a paper or live run's state file");
  const stateActions: Array<[StateAction, string]> = [
    ['show', 'print the account, positions, open orders and the last 20 journal events'],
    ['export', 'write them as CSV and JSON files into --out <dir>'],
    ['backup', 'write a consistent copy to --out <file>, also while the bot runs'],
  ];
  for (const [action, description] of stateActions) {
    addCommonOptions(state.command(action).description(description))
      .option('--state <file>', 'the state file (default: state.file, or state/<mode>.sqlite)')
      .option('--out <path>', 'export: the directory; backup: the new file')
      .action(async (options: StateOptions) => {
        const { runStateCommand } = require('./run-state-command') as typeof import('./run-state-command');
        exitCode = await runStateCommand(action, options, io);
      });
  }

  const killSwitch: Array<['halt' | 'resume', string]> = [
    ['halt', 'turn the kill switch on: write risk.killSwitch.file, and the running bot halts trading'],
    ['resume', 'turn the kill switch off: remove risk.killSwitch.file, and the bot trades again'],
  ];
  for (const [action, description] of killSwitch) {
    const command = addCommonOptions(program.command(action).description(description));
    if (action === 'halt') command.option('--exit', 'sell every open position first, then halt');
    command.action((options: HaltOptions) => {
      const { runKillSwitchCommand } = require('./run-kill-switch-command') as typeof import('./run-kill-switch-command');
      exitCode = runKillSwitchCommand(action, options, io);
    });
  }

  program
    .command('strategies')
    .description('list the strategies in strategies/ with their parameters')
    .action(() => {
      const { listStrategiesCommand } = require('./list-strategies-command') as typeof import('./list-strategies-command');
      exitCode = listStrategiesCommand(io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.badUsage;
    if (err instanceof UserError) {
      io.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`error: ${errorMessage(err)}\n`);
    return ExitCode.runtimeFailure;
  }
  return exitCode;
}

function readVersion(projectRoot: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
