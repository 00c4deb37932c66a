import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { ConfigError } from '../../../src/core/errors';
import { SCHEMA_DEFAULTS } from '../../fixtures/schema-defaults';

const REPO_DEFAULT_FILE = path.resolve(__dirname, '../../../config/default.json');


let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-config-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeJson(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig sources', () => {
  it('returns the schema defaults when no file, environment variable or flag is given', () => {
    const loaded = loadConfig({ env: {} });
    expect(loaded.config).toEqual(SCHEMA_DEFAULTS);
    expect(loaded.files).toEqual([]);
    expect(loaded.secrets).toEqual([]);
  });

  it('skips a default file that does not exist, silently', () => {
    const loaded = loadConfig({ defaultFile: path.join(dir, 'nope.json'), env: {} });
    expect(loaded.config).toEqual(SCHEMA_DEFAULTS);
    expect(loaded.files).toEqual([]);
  });

  it('lets the default file override the schema defaults', () => {
    const defaultFile = writeJson('default.json', { log: { level: 'warn' } });
    const loaded = loadConfig({ defaultFile, env: {} });
    expect(loaded.config.log.level).toBe('warn');
    expect(loaded.config.log.dir).toBe('logs');
    expect(loaded.files).toEqual([defaultFile]);
  });

  it('lets the config file override the default file, keeping what only the default file sets', () => {
    const defaultFile = writeJson('default.json', { log: { level: 'warn', dir: 'from-default' } });
    const configFile = writeJson('bot.json', { log: { level: 'error' } });
    const loaded = loadConfig({ defaultFile, configFile, env: {} });
    expect(loaded.config.log.level).toBe('error');
    expect(loaded.config.log.dir).toBe('from-default');
    expect(loaded.files).toEqual([defaultFile, configFile]);
  });

  it('lets the environment override the config file', () => {
    const configFile = writeJson('bot.json', { log: { level: 'error' }, risk: { maxOpenPositions: 5 } });
    const loaded = loadConfig({ configFile, env: { BOT_LOG_LEVEL: 'debug' } });
    expect(loaded.config.log.level).toBe('debug');
    expect(loaded.config.risk.maxOpenPositions).toBe(5);
  });

  it('lets flags override the environment', () => {
    const configFile = writeJson('bot.json', { log: { level: 'error' } });
    const loaded = loadConfig({ configFile, env: { BOT_LOG_LEVEL: 'debug', BOT_RUN_DURATION_SEC: '30' }, flags: { 'log.level': 'warn' } });
    expect(loaded.config.log.level).toBe('warn');
    expect(loaded.config.run.durationSec).toBe(30);
  });

  it('puts a command\'s defaults over the default file, under the config file, the environment and flags', () => {
    const defaultFile = writeJson('default.json', { log: { level: 'warn', dir: 'from-default' }, trade: { minNotional: 10 } });
    const defaults = { 'trade.minNotional': 5, 'log.dir': 'from-command', 'log.level': 'error' };
    const over = loadConfig({ defaultFile, defaults, env: {} });
    expect([over.config.trade.minNotional, over.config.log.dir, over.config.log.level]).toEqual([5, 'from-command', 'error']);

    const configFile = writeJson('bot.json', { trade: { minNotional: 12 } });
    expect(loadConfig({ defaultFile, defaults, configFile, env: {} }).config.trade.minNotional).toBe(12);
    expect(loadConfig({ defaultFile, defaults, env: { BOT_TRADE_MIN_NOTIONAL: '7' } }).config.trade.minNotional).toBe(7);
    expect(loadConfig({ defaultFile, defaults, env: {}, flags: { 'trade.minNotional': 3 } }).config.trade.minNotional).toBe(3);
  });

  it('takes a default file also given as the config file as the user\'s, over a command\'s defaults', () => {
    const file = writeJson('bot.json', { trade: { minNotional: 10 } });
    const loaded = loadConfig({ defaultFile: file, configFile: file, defaults: { 'trade.minNotional': 5 }, env: {} });
    expect(loaded.config.trade.minNotional).toBe(10);
    expect(loaded.files).toEqual([file]);
  });

  it('ignores flags whose value is undefined', () => {
    const loaded = loadConfig({ env: { BOT_LOG_LEVEL: 'debug' }, flags: { 'log.level': undefined, 'run.durationSec': undefined } });
    expect(loaded.config.log.level).toBe('debug');
    expect(loaded.config.run.durationSec).toBe(0);
  });

  it('converts string flags like environment variables and accepts flags already typed', () => {
    const loaded = loadConfig({ env: {}, flags: { 'risk.maxOpenPositions': '7', 'run.durationSec': 1.5, 'log.toFile': 'false' } });
    expect(loaded.config.risk.maxOpenPositions).toBe(7);
    expect(loaded.config.run.durationSec).toBe(1.5);
    expect(loaded.config.log.toFile).toBe(false);
  });

  it.each([
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['true', true],
    ['True', true],
    ['1', true],
  ])('reads the boolean environment value %j as %s', (text, expected) => {
    expect(loadConfig({ env: { BOT_LOG_TO_FILE: text } }).config.log.toFile).toBe(expected);
  });

  it.each([
    [' 250 ', 250],
    ['1e3', 1000],
    ['+400', 400],
  ])('reads the numeric environment value %j as %d', (text, expected) => {
    expect(loadConfig({ env: { BOT_MONITOR_HEARTBEAT_INTERVAL_MS: text } }).config.monitor.heartbeatIntervalMs).toBe(expected);
  });

  it('reads strategy parameters from a JSON environment variable', () => {
    const loaded = loadConfig({ env: { BOT_STRATEGY_PARAMS: '{"sma-cross": {"fast": 5, "slow": 20, "source": "close", "long": true}}' } });
    expect(loaded.config.strategy.params).toEqual({ 'sma-cross': { fast: 5, slow: 20, source: 'close', long: true } });
  });

  it('replaces the whole strategy.params object with the one of a later source', () => {
    const configFile = writeJson('bot.json', { strategy: { params: { a: { x: 1 } } } });
    const loaded = loadConfig({ configFile, env: { BOT_STRATEGY_PARAMS: '{"b": {"y": 2}}' } });
    expect(loaded.config.strategy.params).toEqual({ b: { y: 2 } });
  });

  it('ignores environment variables without the BOT_ prefix', () => {
    const loaded = loadConfig({ env: { PATH: '/usr/bin', bot_log_level: 'debug', LOG_LEVEL: 'nonsense', BOT_UNSET: undefined } });
    expect(loaded.config).toEqual(SCHEMA_DEFAULTS);
  });

  it('never reads process.env or process.argv', () => {
    const savedArgv = process.argv;
    process.env.BOT_LOG_LEVEL = 'debug';
    process.env.BOT_NOT_A_SETTING = 'x';
    process.argv = [...savedArgv, '--log.level=error', '--BOT_LOG_LEVEL=warn'];
    try {
      expect(loadConfig({ env: {} }).config.log.level).toBe('info');
    } finally {
      delete process.env.BOT_LOG_LEVEL;
      delete process.env.BOT_NOT_A_SETTING;
      process.argv = savedArgv;
    }
  });

  it('reads the same file given as default and config file once', () => {
    const file = writeJson('bot.json', { log: { level: 'warn' } });
    expect(loadConfig({ defaultFile: file, configFile: file, env: {} }).files).toEqual([file]);
  });

  it('names a relative config file as given in messages and lists it as an absolute path', () => {
    const absolute = writeJson('bot.json', { log: { level: 'loud' } });
    const relative = path.relative(process.cwd(), absolute);
    expect(messageOf(() => loadConfig({ configFile: relative, env: {} }))).toBe(
      `Invalid value "loud" for log.level in config file ${relative}: must be one of "error", "warn", "info" or "debug".`,
    );
    writeJson('bot.json', { log: { level: 'warn' } });
    expect(loadConfig({ configFile: relative, env: {} }).files).toEqual([absolute]);
  });

  it('reports a default file that exists but is invalid instead of skipping it', () => {
    const defaultFile = writeJson('default.json', '{ "log": ');
    expect(messageOf(() => loadConfig({ defaultFile, env: {} }))).toMatch(/^Config file .*default\.json is not valid JSON: expected a value but found the end of the text at line 1, column 10\.$/);
  });

  it('reports a bad config file even when a later source sets the same key correctly', () => {
    const configFile = writeJson('bot.json', { log: { level: 'loud' } });
    expect(messageOf(() => loadConfig({ configFile, env: { BOT_LOG_LEVEL: 'debug' } }))).toMatch(/for log\.level in config file/);
  });

  it('loads the project config/default.json, which uses only schema keys and valid values', () => {
    const loaded = loadConfig({ defaultFile: REPO_DEFAULT_FILE, env: {} });
    expect(loaded.files).toEqual([REPO_DEFAULT_FILE]);
    expect(loaded.config.exchange.apiKey).toBe('');
  });
});

describe('loadConfig result', () => {
  it('is deep-frozen', () => {
    const loaded = loadConfig({ env: { BOT_STRATEGY_PARAMS: '{"sma": {"fast": 5}}' } });
    expect(Object.isFrozen(loaded.config)).toBe(true);
    expect(Object.isFrozen(loaded.config.log)).toBe(true);
    expect(Object.isFrozen(loaded.config.strategy.params)).toBe(true);
    expect(Object.isFrozen(loaded.config.strategy.params['sma'])).toBe(true);
    expect(() => {
      (loaded.config.log as { level: string }).level = 'debug';
    }).toThrow(TypeError);
  });

  it('does not share objects with the flags it was given', () => {
    const params = { sma: { fast: 5 } };
    const loaded = loadConfig({ env: {}, flags: { 'strategy.params': params } });
    params.sma.fast = 6;
    expect(loaded.config.strategy.params).toEqual({ sma: { fast: 5 } });
    expect(Object.isFrozen(params)).toBe(false);
  });

  it('returns the non-empty secrets from the environment, in the config and in `secrets`', () => {
    const loaded = loadConfig({ env: { BOT_EXCHANGE_API_KEY: 'key-1', BOT_EXCHANGE_SECRET: 'secret-2', BOT_EXCHANGE_PASSWORD: '' } });
    expect(loaded.secrets).toEqual(['key-1', 'secret-2']);
    expect(loaded.config.exchange).toMatchObject({ name: 'binance', baseUrl: '', apiKey: 'key-1', secret: 'secret-2', password: '' });
  });

  it('refuses secrets from a config file and from flags, so they can only come from the environment', () => {
    const configFile = writeJson('bot.json', { exchange: { password: 'pw-in-file' } });
    const fromFile = messageOf(() => loadConfig({ configFile, env: {} }));
    expect(fromFile).toContain('exchange.password');
    expect(fromFile).toContain('BOT_EXCHANGE_PASSWORD');
    expect(fromFile).not.toContain('pw-in-file');
    const fromFlag = messageOf(() => loadConfig({ env: {}, flags: { 'exchange.password': 'pw-in-flag' } }));
    expect(fromFlag).toContain('BOT_EXCHANGE_PASSWORD');
    expect(fromFlag).not.toContain('pw-in-flag');
  });
});
