import { checkTradingMode } from '../../../src/cli/trading-mode';
import type { BotConfig } from '../../../src/config/schema';
import { UserError } from '../../../src/core/errors';
import { SCHEMA_DEFAULTS } from '../../fixtures/schema-defaults';

function config(over: { mode?: BotConfig['mode']; apiKey?: string; secret?: string; source?: BotConfig['market']['source'] }): BotConfig {
  return {
    ...SCHEMA_DEFAULTS,
    mode: over.mode ?? 'paper',
    market: { ...SCHEMA_DEFAULTS.market, source: over.source ?? 'exchange' },
    exchange: { ...SCHEMA_DEFAULTS.exchange, apiKey: over.apiKey ?? '', secret: over.secret ?? '' },
  };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('checkTradingMode', () => {
  it('paper-trades when the config says paper and --live is absent, keys or not', () => {
    expect(checkTradingMode(config({}), false)).toBe('paper');
    expect(checkTradingMode(config({ apiKey: 'k', secret: 's' }), false)).toBe('paper');
  });

  it('refuses --live while the config says paper', () => {
    expect(refusal(() => checkTradingMode(config({ apiKey: 'k', secret: 's' }), true))).toMatch(/^--live was given, but the configuration says mode "paper"/);
  });

  it('refuses mode live without --live', () => {
    expect(refusal(() => checkTradingMode(config({ mode: 'live', apiKey: 'k', secret: 's' }), false))).toMatch(/--live was not given/);
  });

  it('refuses live trading without keys, naming the missing variables', () => {
    expect(refusal(() => checkTradingMode(config({ mode: 'live' }), true))).toContain('BOT_EXCHANGE_API_KEY and BOT_EXCHANGE_SECRET are not set');
    expect(refusal(() => checkTradingMode(config({ mode: 'live', apiKey: 'k' }), true))).toContain('BOT_EXCHANGE_SECRET is not set');
  });

  it('refuses live trading on the simulated market', () => {
    expect(refusal(() => checkTradingMode(config({ mode: 'live', apiKey: 'k', secret: 's', source: 'simulated' }), true))).toContain('add --source exchange');
  });

  it('goes live with both switches, keys and live data', () => {
    expect(checkTradingMode(config({ mode: 'live', apiKey: 'k', secret: 's' }), true)).toBe('live');
  });
});
