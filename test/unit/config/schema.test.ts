import convict from 'convict';
import { SCHEMA_DEFAULTS } from '../../fixtures/schema-defaults';
import { BOT_FORMATS, FormatError, type BotFormatName, type FormatBounds } from '../../../src/config/formats';
import { RELOADABLE_KEYS, SENSITIVE_KEYS, configSchema, type BotConfig } from '../../../src/config/schema';
import { LEAVES } from '../../../src/config/schema-index';

const upperSnake = (key: string): string =>
  key
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
    .join('_');

describe('configSchema', () => {
  it('gives every key a doc, a bot- format and the environment variable BOT_ + its path in UPPER_SNAKE', () => {
    expect([...LEAVES.keys()]).toEqual([
      'mode',
      'log.level',
      'log.toFile',
      'log.dir',
      'log.maxSizeMb',
      'log.maxFiles',
      'log.color',
      'run.durationSec',
      'run.candles',
      'run.out',
      'state.file',
      'state.keepEvents',
      'state.maxSizeMb',
      'state.adoptUnknownBalances',
      'market.source',
      'market.symbols',
      'market.timeframe',
      'market.speed',
      'market.historyLength',
      'market.staleFloorMs',
      'market.simulated.seed',
      'market.simulated.ticksPerCandle',
      'market.simulated.startPrices',
      'analysis.strategies',
      'analysis.combine',
      'analysis.threshold',
      'analysis.weights',
      'analysis.cooldownCandles',
      'portfolio.startBalance',
      'portfolio.profitShare',
      'portfolio.allocations',
      'portfolio.rebalance',
      'trade.stake',
      'trade.minNotional',
      'trade.slippageBps',
      'trade.fees.maker',
      'trade.fees.taker',
      'trade.stopLossPct',
      'trade.takeProfitPct',
      'trade.takeProfitTiers',
      'trade.trailingStopPct',
      'trade.trailingActivationPct',
      'trade.roi',
      'orchestrator.startTimeoutMs',
      'orchestrator.stopTimeoutMs',
      'monitor.heartbeatIntervalMs',
      'monitor.silenceThresholdMs',
      'monitor.statusIntervalMs',
      'monitor.restart.max',
      'monitor.restart.windowS',
      'monitor.restart.backoffMs',
      'monitor.restart.maxBackoffMs',
      'alerts.botName',
      'alerts.minIntervalS',
      'alerts.rules',
      'alerts.log.minLevel',
      'alerts.webhook.url',
      'alerts.webhook.secret',
      'alerts.webhook.minLevel',
      'alerts.webhook.timeoutMs',
      'alerts.webhook.retries',
      'alerts.telegram.token',
      'alerts.telegram.chatId',
      'alerts.telegram.baseUrl',
      'alerts.telegram.minLevel',
      'config.watch',
      'bus.redis.url',
      'bus.redis.password',
      'bus.redis.prefix',
      'bus.roles',
      'bus.node',
      'bus.await',
      'bus.maxSkewMs',
      'bus.failoverMs',
      'bus.presenceIntervalMs',
      'bus.lockstep',
      'api.enabled',
      'api.port',
      'api.host',
      'api.bodyLimitBytes',
      'api.failedLoginsPerMinute',
      'exchange.name',
      'exchange.baseUrl',
      'exchange.wsUrl',
      'exchange.sandbox',
      'exchange.timeoutMs',
      'exchange.clockSkewWarnMs',
      'exchange.apiKey',
      'exchange.secret',
      'exchange.password',
      'risk.maxOpenPositions',
      'risk.maxPositionPct',
      'risk.maxDrawdownPct',
      'risk.dailyLossPct',
      'risk.stoplossGuard.count',
      'risk.stoplossGuard.windowMin',
      'risk.stoplossGuard.pauseMin',
      'risk.cooldownAfterLossMin',
      'risk.maxExposurePct',
      'risk.maxAssetExposurePct',
      'risk.killSwitch.file',
      'risk.killSwitch.exitPositions',
      'strategy.params',
    ]);
    for (const { key, item } of LEAVES.values()) {
      expect({ key, doc: item.doc.length > 10, format: item.format.startsWith('bot-'), env: item.env }).toEqual({
        key,
        doc: true,
        format: true,
        env: `BOT_${upperSnake(key)}`,
      });
    }
  });

  it('has defaults that pass strict convict validation and match the BotConfig shape', () => {
    const config = convict<BotConfig>(configSchema, { env: {}, args: [] });
    expect(() => config.validate({ allowed: 'strict' })).not.toThrow();
    expect(config.getProperties()).toEqual(SCHEMA_DEFAULTS);
  });

  it('lets convict enforce the bounds written on the schema item', () => {
    const config = convict<BotConfig>(configSchema, { env: {}, args: [] });
    config.set('risk.maxOpenPositions', 1001);
    expect(() => config.validate({ allowed: 'strict' })).toThrow('risk.maxOpenPositions: must be an integer from 1 to 1000: value was 1001');
  });

  it('marks exactly the alert channels\', the Redis bus\'s and the exchange\'s credentials sensitive, which convict masks', () => {
    const marked = [...LEAVES.values()].filter((leaf) => leaf.item.sensitive === true).map((leaf) => leaf.key);
    expect(marked).toEqual(['alerts.webhook.secret', 'alerts.telegram.token', 'bus.redis.password', 'exchange.apiKey', 'exchange.secret', 'exchange.password']);
    expect([...SENSITIVE_KEYS]).toEqual(marked);
    const config = convict<BotConfig>(configSchema, { env: {}, args: [] });
    config.set('exchange.secret', 'hunter2');
    expect(config.toString()).not.toContain('hunter2');
  });

  it('lists as reloadable only existing, non-sensitive keys', () => {
    expect([...RELOADABLE_KEYS].sort()).toEqual(
      [
        'log.level',
        'monitor.silenceThresholdMs',
        'alerts.minIntervalS',
        'alerts.rules',
        'alerts.log.minLevel',
        'alerts.webhook.minLevel',
        'alerts.telegram.minLevel',
        'risk.maxOpenPositions',
        'risk.maxPositionPct',
        'risk.maxDrawdownPct',
        'risk.dailyLossPct',
        'risk.stoplossGuard.count',
        'risk.stoplossGuard.windowMin',
        'risk.stoplossGuard.pauseMin',
        'risk.cooldownAfterLossMin',
        'risk.maxExposurePct',
        'risk.maxAssetExposurePct',
        'risk.killSwitch.file',
        'risk.killSwitch.exitPositions',
        'strategy.params',
        'trade.stake',
        'trade.minNotional',
      ].sort(),
    );
    for (const key of RELOADABLE_KEYS) {
      expect(LEAVES.has(key)).toBe(true);
      expect(SENSITIVE_KEYS.has(key)).toBe(false);
    }
  });
});

function reasonFor(format: BotFormatName, value: unknown, bounds: FormatBounds = {}): string | undefined {
  try {
    BOT_FORMATS[format].validate(value, bounds);
    return undefined;
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    return err.message;
  }
}

describe('formats', () => {
  const range = { min: 1, max: 10 };

  it.each([1, 10, 5])('bot-integer accepts %p within 1..10', (value) => {
    expect(reasonFor('bot-integer', value, range)).toBeUndefined();
  });

  it.each([0, 11, 1.5, '5', NaN, null, true])('bot-integer rejects %p for 1..10', (value) => {
    expect(reasonFor('bot-integer', value, range)).toBe('must be an integer from 1 to 10');
  });

  it('bot-number with an exclusive minimum rejects the minimum and accepts just above it', () => {
    const bounds = { min: 0, minExclusive: true, max: 100 };
    expect(reasonFor('bot-number', 0, bounds)).toBe('must be a number greater than 0 and at most 100');
    expect(reasonFor('bot-number', 0.001, bounds)).toBeUndefined();
    expect(reasonFor('bot-number', 100, bounds)).toBeUndefined();
    expect(reasonFor('bot-number', 100.5, bounds)).toBeDefined();
    expect(reasonFor('bot-number', Infinity, { min: 0 })).toBe('must be a number of 0 or more');
  });

  it('bot-one-of lists the allowed values', () => {
    expect(reasonFor('bot-one-of', 'x', { values: ['a', 'b', 'c'] })).toBe('must be one of "a", "b" or "c"');
    expect(reasonFor('bot-one-of', 'b', { values: ['a', 'b', 'c'] })).toBeUndefined();
  });

  it('bot-non-empty-string rejects blank text and bot-string accepts it', () => {
    expect(reasonFor('bot-non-empty-string', '  ')).toBe('must be a non-empty string');
    expect(reasonFor('bot-string', '')).toBeUndefined();
    expect(reasonFor('bot-string', 5)).toBe('must be a string');
  });

  it.each([
    ['yes', 'yes'],
    ['', ''],
    ['0', false],
    ['TRUE', true],
  ])('bot-boolean converts the text %j to %p', (text, expected) => {
    expect(BOT_FORMATS['bot-boolean'].fromString(text)).toBe(expected);
  });

  it.each([
    ['12abc', '12abc'],
    ['', ''],
    ['0x10', '0x10'],
    ['-2.5', -2.5],
    ['.5', 0.5],
  ])('number formats convert the text %j to %p', (text, expected) => {
    expect(BOT_FORMATS['bot-number'].fromString(text)).toBe(expected);
  });

  it.each([{}, { sma: {} }, { sma: { fast: 5, source: 'close', long: false } }, { a: { x: 1 }, b: { y: 'z' } }])(
    'bot-strategy-params accepts %j',
    (value) => {
      expect(reasonFor('bot-strategy-params', value)).toBeUndefined();
    },
  );

  it.each([
    [null, undefined, 'must be an object mapping each strategy name to an object of parameters'],
    [[], undefined, 'must be an object mapping each strategy name to an object of parameters'],
    ['{}', undefined, 'must be an object mapping each strategy name to an object of parameters'],
    [{ sma: 5 }, 'strategy.params.sma', 'must be an object mapping each parameter name to a number, a string or a boolean'],
    [{ sma: [1] }, 'strategy.params.sma', 'must be an object mapping each parameter name to a number, a string or a boolean'],
    [{ sma: { fast: null } }, 'strategy.params.sma.fast', 'must be a finite number, a string or a boolean'],
    [{ sma: { fast: { x: 1 } } }, 'strategy.params.sma.fast', 'must be a finite number, a string or a boolean'],
    [{ sma: { fast: Infinity } }, 'strategy.params.sma.fast', 'must be a finite number, a string or a boolean'],
    [{ '': { fast: 1 } }, undefined, 'has an invalid strategy name ""'],
  ])('bot-strategy-params rejects %p at %s', (value, subPath, reason) => {
    let caught: unknown;
    try {
      BOT_FORMATS['bot-strategy-params'].validate(value, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FormatError);
    expect({ subPath: (caught as FormatError).subPath, reason: (caught as FormatError).message }).toEqual({ subPath, reason });
  });
});
