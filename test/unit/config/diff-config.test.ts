import { applyReloadable, diffConfig, type ConfigChange } from '../../../src/config/diff-config';
import { REDACTED } from '../../../src/logging/redactor';
import { loadConfig } from '../../../src/config/load-config';
import type { BotConfig } from '../../../src/config/schema';

function configWith(env: Record<string, string>): BotConfig {
  return loadConfig({ env }).config;
}

describe('diffConfig', () => {
  it('finds no change between equal configurations', () => {
    expect(diffConfig(configWith({}), configWith({}))).toEqual([]);
  });

  it('lists each changed key with its old and new value, in schema order', () => {
    const previous = configWith({});
    const next = configWith({ BOT_RISK_MAX_OPEN_POSITIONS: '5', BOT_LOG_LEVEL: 'debug', BOT_LOG_DIR: 'other' });
    expect(diffConfig(previous, next)).toEqual([
      { key: 'log.level', from: 'info', to: 'debug' },
      { key: 'log.dir', from: 'logs', to: 'other' },
      { key: 'risk.maxOpenPositions', from: 3, to: 5 },
    ]);
  });

  it('treats strategy.params as one key compared as JSON, whatever the order of its keys', () => {
    const a = configWith({ BOT_STRATEGY_PARAMS: '{"sma": {"fast": 5, "slow": 20}, "rsi": {"period": 14}}' });
    const sameInOtherOrder = configWith({ BOT_STRATEGY_PARAMS: '{"rsi": {"period": 14}, "sma": {"slow": 20, "fast": 5}}' });
    const changed = configWith({ BOT_STRATEGY_PARAMS: '{"sma": {"fast": 6, "slow": 20}, "rsi": {"period": 14}}' });
    expect(diffConfig(a, sameInOtherOrder)).toEqual([]);
    expect(diffConfig(a, changed)).toEqual([{ key: 'strategy.params', from: a.strategy.params, to: changed.strategy.params }]);
  });

  it('hides the values of sensitive keys', () => {
    const changes = diffConfig(configWith({ BOT_EXCHANGE_SECRET: 'old-secret' }), configWith({ BOT_EXCHANGE_SECRET: 'new-secret' }));
    expect(changes).toEqual([{ key: 'exchange.secret', from: REDACTED, to: REDACTED }]);
  });
});

describe('applyReloadable', () => {
  const previous = configWith({});
  const next = configWith({
    BOT_LOG_LEVEL: 'debug',
    BOT_RISK_MAX_POSITION_PCT: '10',
    BOT_STRATEGY_PARAMS: '{"sma": {"fast": 3}}',
    BOT_LOG_DIR: 'elsewhere',
    BOT_MONITOR_HEARTBEAT_INTERVAL_MS: '1000',
  });
  const changes = diffConfig(previous, next);

  it('applies the reloadable changes and sets the others aside for a restart', () => {
    const result = applyReloadable(previous, changes);
    expect(result.applied.map((c) => c.key)).toEqual(['log.level', 'risk.maxPositionPct', 'strategy.params']);
    expect(result.needRestart.map((c) => c.key)).toEqual(['log.dir', 'monitor.heartbeatIntervalMs']);
    expect(result.config.log.level).toBe('debug');
    expect(result.config.risk.maxPositionPct).toBe(10);
    expect(result.config.strategy.params).toEqual({ sma: { fast: 3 } });
    expect(result.config.log.dir).toBe('logs');
    expect(result.config.monitor.heartbeatIntervalMs).toBe(5000);
  });

  it('returns a deep-frozen configuration and leaves the previous one as it was', () => {
    const result = applyReloadable(previous, changes);
    expect(Object.isFrozen(result.config)).toBe(true);
    expect(Object.isFrozen(result.config.strategy.params['sma'])).toBe(true);
    expect(previous.log.level).toBe('info');
    expect(result.config).not.toBe(previous);
  });

  it('never applies a change to a sensitive key', () => {
    const change: ConfigChange = { key: 'exchange.apiKey', from: REDACTED, to: REDACTED };
    const result = applyReloadable(previous, [change]);
    expect(result.applied).toEqual([]);
    expect(result.needRestart).toEqual([change]);
    expect(result.config.exchange.apiKey).toBe('');
  });

  it('rejects a change to a key the schema does not have', () => {
    expect(() => applyReloadable(previous, [{ key: 'log.levl', from: 'a', to: 'b' }])).toThrow('log.levl is not a configuration key');
  });
});
