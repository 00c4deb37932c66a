import { runMain } from '../helpers/run-main';

describe('strategies command', () => {
  it('lists every strategy with its description and each parameter with its default and bounds', async () => {
    const run = await runMain(['strategies']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sma-cross: Long while the fast simple moving average is above the slow one');
    expect(run.stdout).toMatch(/^ {2}fast +integer, default 10, min 1, max 1000 +Fast SMA length in candles\.$/m);
    expect(run.stdout).toMatch(/^rsi-mean-reversion: /m);
    expect(run.stdout).toMatch(/^ {2}overbought +number, default 70, min 50, max 99 /m);
    expect(run.stdout).toMatch(/^macd-crossover: /m);
  });
});
