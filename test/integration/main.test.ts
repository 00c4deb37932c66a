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
