import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBacktestConfig, type BacktestSettings } from '../../../src/backtest/backtest-config';
import { DEFAULT_CONFIG_FILE } from '../../helpers/test-app';

const SETTINGS: BacktestSettings = { strategy: 'sma-cross', params: {}, symbols: ['BTC/USDT'], timeframe: '5m', out: 'unused' };

function minNotional(settings: Partial<BacktestSettings>, sources: { configFile?: string; env?: Record<string, string> } = {}): number {
  const loaded = loadBacktestConfig({ ...SETTINGS, ...settings }, { defaultFile: DEFAULT_CONFIG_FILE, ...sources, env: { BOT_LOG_TO_FILE: 'false', ...sources.env } });
  return loaded.config.trade.minNotional;
}

describe('the minimum order of a backtest', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is the exchange's own when the file name says it, over config/default.json's 10", () => {
    expect(JSON.parse(fs.readFileSync(DEFAULT_CONFIG_FILE, 'utf8')).trade.minNotional).toBe(10);
    expect(minNotional({ files: ['data/binance_BTC-USDT_5m_2021.json'] })).toBe(5);
  });

  it('is 0 when the file name does not say the exchange', () => {
    expect(minNotional({ files: ['data/BTC_USDT-5m.json'] })).toBe(0);
    expect(minNotional({})).toBe(0);
  });

  it("is the user's when the config file or the environment sets it", () => {
    const configFile = path.join(dir, 'bot.json');
    fs.writeFileSync(configFile, JSON.stringify({ trade: { minNotional: 10 } }));
    const files = ['binance_BTC-USDT_5m_2021.json'];
    expect(minNotional({ files }, { configFile })).toBe(10);
    expect(minNotional({ files }, { env: { BOT_TRADE_MIN_NOTIONAL: '2.5' } })).toBe(2.5);
    expect(minNotional({ files }, { configFile: DEFAULT_CONFIG_FILE })).toBe(10);
  });
});
