import { quietEnv, runMain } from '../helpers/run-main';

describe('the bus options of a paper run', () => {
  it('refuses --role without --bus, naming both', async () => {
    const run = await runMain(['--role', 'analysis', '--candles', '5'], quietEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bus.roles (--role) needs bus.redis.url (--bus)');
  });

  it('refuses a password in --bus, and a missing BOT_BUS_KEY, each in one sentence', async () => {
    const withPassword = await runMain(['--bus', 'redis://:hunter2hunter2@127.0.0.1:1', '--candles', '5'], quietEnv());
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).toContain('bus.redis.url must not hold the password');
    const noKey = await runMain(['--bus', 'redis://127.0.0.1:1', '--role', 'data', '--candles', '5'], quietEnv());
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('BOT_BUS_KEY is not set');
  });

  it('refuses an agent name that is not one', async () => {
    const run = await runMain(['--bus', 'redis://127.0.0.1:1', '--role', 'analysis,trader', '--candles', '5'], quietEnv({ BOT_BUS_KEY: 'k'.repeat(40) }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bus.roles and bus.await name agents, and trader is not one');
  });

  it('says in one sentence that Redis cannot be reached, without the password', async () => {
    const run = await runMain(['--bus', 'redis://127.0.0.1:1', '--role', 'data', '--candles', '5'], quietEnv({ BOT_BUS_KEY: 'k'.repeat(40), BOT_BUS_REDIS_PASSWORD: 'pw-that-must-not-show' }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(.*\): check bus\.redis\.url and that redis-server is running\n$/);
    expect(run.stderr + run.stdout).not.toContain('pw-that-must-not-show');
  });
});
