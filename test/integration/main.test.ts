import { runMain, startMain } from '../helpers/run-main';

const AGENTS_IN_START_ORDER = ['config', 'monitor', 'data', 'portfolio', 'trade', 'analysis'];

function transitions(stdout: string, to: string): string[] {
  const pattern = new RegExp(`\\[(\\w+)\\] \\w+ -> ${to}$`, 'gm');
  return [...stdout.matchAll(pattern)].map((m) => m[1]!);
}

describe('main', () => {
  it('prints the commands and common options for --help and exits 0', async () => {
    const run = await runMain(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: bot/);
    expect(run.stdout).toMatch(/paper \[options\] +paper-trade .*\(default\)/);
    expect(run.stdout).toMatch(/backtest \[options\] +replay candle files/);
    for (const option of ['--config <file>', '--log-level <level>', '--duration <seconds>']) expect(run.stdout).toContain(option);
  });

  it('exits 2 with one sentence for an unknown option or a bad option value', async () => {
    const unknown = await runMain(['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--frobnicate'");
    const badDuration = await runMain(['--duration', 'soon']);
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toMatch(/--duration <seconds>.*'soon' is invalid/);
    const badLevel = await runMain(['--log-level', 'loud']);
    expect(badLevel.code).toBe(2);
    expect(badLevel.stderr).toMatch(/'loud' is invalid.*error, warn, info, debug/);
  });

  it('names the option when a paper-trading option has a bad value, and exits 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--timeframe', '2m'], /^error: Invalid value "2m" for market\.timeframe from --timeframe: must be one of "1m", .* or "1w"\.$/],
      [['--balance', 'lots'], /^error: Invalid value "lots" for portfolio\.startBalance from --balance: must be a number greater than 0\.$/],
      [['--symbols', 'BTCUSDT'], /^error: Invalid value \["BTCUSDT"\] for market\.symbols from --symbols: .*"BTCUSDT" is not one\.$/],
      [['--speed', '0'], /^error: Invalid value 0 for market\.speed from --speed: must be a number of candles per second greater than 0, or "realtime"\.$/],
      [['--candles', '-1'], /^error: Invalid value -1 for run\.candles from --candles: must be an integer of 0 or more\.$/],
      [['--strategy', 'no-such-strategy'], /^error: strategy "no-such-strategy" not found in .*strategies \(available: .*macd-crossover.*rsi-mean-reversion.*\)/],
      [['--symbols', 'BTC/USDT,ETH/BTC'], /^error: market\.symbols must share one quote currency, and BTC\/USDT, ETH\/BTC use USDT and BTC$/],
    ];
    for (const [argv, expected] of cases) {
      const run = await runMain(argv);
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      expect(run.stderr.trimEnd()).toMatch(expected);
    }
  });

  it('starts the six agents in dependency order, stops them in reverse after --duration and exits 0', async () => {
    const run = await runMain(['--duration', '0.3']);
    expect(run.code).toBe(0);
    expect(transitions(run.stdout, 'running')).toEqual(AGENTS_IN_START_ORDER);
    expect(transitions(run.stdout, 'stopped')).toEqual([...AGENTS_IN_START_ORDER].reverse());
    expect(run.stdout).toContain('agent status (all agents running)');
    expect(run.stdout).toMatch(/agent status \(shutdown\):\nagent +state/);
    expect(run.stdout).toMatch(/^analysis +stopped/m);
  });

  it('stops on SIGTERM and exits 0; a second signal forces an exit', async () => {
    const run = startMain([]);
    await waitFor(() => run.stdout().includes('all agents running'));
    run.signals.emit('SIGTERM', 'SIGTERM');
    run.signals.emit('SIGINT', 'SIGINT');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SIGTERM received, stopping the agents');
    expect(run.exits).toEqual([1]);
    expect(transitions(result.stdout, 'stopped')).toEqual([...AGENTS_IN_START_ORDER].reverse());
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
