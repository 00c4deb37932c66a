import { loadConfig } from '../../../src/config/load-config';
import { redactConfig } from '../../../src/config/redact-config';

describe('redactConfig', () => {
  it('masks every secret that is set, keeps an unset one empty, and leaves the rest and the original as they were', () => {
    const { config } = loadConfig({ env: { BOT_EXCHANGE_API_KEY: 'key-1', BOT_EXCHANGE_SECRET: 'secret-2', BOT_RISK_MAX_OPEN_POSITIONS: '4' } });
    const served = redactConfig(config);
    expect(served.exchange).toMatchObject({ apiKey: '[REDACTED]', secret: '[REDACTED]', password: '' });
    expect(served.risk.maxOpenPositions).toBe(4);
    expect(JSON.stringify(served)).not.toMatch(/key-1|secret-2/);
    expect(Object.isFrozen(served.exchange)).toBe(true);
    expect(config.exchange.apiKey).toBe('key-1');
  });
});
