import { Command } from 'commander';
import { loadBacktestConfig, type BacktestSettings } from '../../../src/backtest/backtest-config';
import { addBacktestOptions } from '../../../src/cli/backtest-options';
import { addPaperOptions, PAPER_FLAG_NAMES, paperOptionFlags } from '../../../src/cli/paper-options';
import { addTradingOptions, BACKTEST_TRADING_DEFAULTS, PAPER_TRADING_DEFAULTS } from '../../../src/cli/trading-options';
import { TRADING_FLAG_NAMES, tradingFlags } from '../../../src/config/trading-flags';
import { DEFAULT_CONFIG_FILE } from '../../helpers/test-app';

const TRADE_KEYS = ['trade.stake', 'trade.fees.maker', 'trade.fees.taker', 'trade.slippageBps', 'trade.stopLossPct', 'trade.takeProfitPct'];

function parsed(argv: string[]): Record<string, unknown> {
  const command = addTradingOptions(new Command().exitOverride(), PAPER_TRADING_DEFAULTS);
  command.parse(argv, { from: 'user' });
  return command.opts();
}

describe('the trading options', () => {
  it('map to the trade.* config keys, --fee to both fees', () => {
    const options = parsed(['--stake', '5%', '--fee', '0.002', '--slippage-bps', '3', '--stop-loss', '2', '--take-profit', '6']);
    expect(tradingFlags(options)).toEqual({
      'trade.stake': '5%',
      'trade.fees.maker': '0.002',
      'trade.fees.taker': '0.002',
      'trade.slippageBps': '3',
      'trade.stopLossPct': '2',
      'trade.takeProfitPct': '6',
    });
  });

  it('leave every key undefined when not given, so the config stands', () => {
    expect(Object.values(tradingFlags(parsed([])))).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('name each key after the option that sets it', () => {
    expect(TRADING_FLAG_NAMES).toEqual({
      'trade.stake': '--stake',
      'trade.fees.maker': '--fee',
      'trade.fees.taker': '--fee',
      'trade.slippageBps': '--slippage-bps',
      'trade.stopLossPct': '--stop-loss',
      'trade.takeProfitPct': '--take-profit',
    });
  });

  it('are paper options too, mapped and named the same way', () => {
    const command = addPaperOptions(new Command().exitOverride());
    command.parse(['--stake', '5%', '--stop-loss', '1.5'], { from: 'user' });
    const flags = paperOptionFlags(command.opts());
    expect(flags['trade.stake']).toBe('5%');
    expect(flags['trade.stopLossPct']).toBe('1.5');
    for (const key of TRADE_KEYS) expect(PAPER_FLAG_NAMES[key]).toBe(TRADING_FLAG_NAMES[key]);
  });

  it("say each command's own defaults in the help", () => {
    const paper = addPaperOptions(new Command()).helpInformation();
    expect(paper).toMatch(/--stake <all\|amount\|n%>\s+what an entry spends: .*\(default\s+20%\)/s);
    expect(paper).toMatch(/--stop-loss <pct>\s+.*\(default\s+5\)/s);
    const backtest = addBacktestOptions(new Command()).helpInformation();
    expect(backtest).toMatch(/--stake <all\|amount\|n%>\s+what an entry spends: .*\(default\s+all\)/s);
    expect(backtest).toMatch(/--slippage-bps <bps>\s+.*\(default\s+0\)/s);
    expect(backtest).toMatch(/--stop-loss <pct>\s+.*\(default\s+0\)/s);
    expect(BACKTEST_TRADING_DEFAULTS).toEqual({ stake: 'all', fee: '0.001', slippageBps: '0', stopLoss: '0', takeProfit: '0' });
  });
});

describe("a backtest's trading settings", () => {
  const SETTINGS: BacktestSettings = { strategy: 'sma-cross', params: {}, symbols: ['BTC/USDT'], timeframe: '1h', out: 'unused' };
  const trade = (settings: Partial<BacktestSettings>) =>
    loadBacktestConfig({ ...SETTINGS, ...settings }, { defaultFile: DEFAULT_CONFIG_FILE, env: { BOT_LOG_TO_FILE: 'false' } }).config.trade;

  it("keep the backtest's defaults when no option is given, not config/default.json's stop-loss", () => {
    const { stake, fees, slippageBps, stopLossPct, takeProfitPct } = trade({});
    expect({ stake, fees, slippageBps, stopLossPct, takeProfitPct }).toEqual({ stake: 'all', fees: { maker: 0.001, taker: 0.001 }, slippageBps: 0, stopLossPct: 0, takeProfitPct: 0 });
  });

  it('take the options when given', () => {
    const { stake, fees, slippageBps, stopLossPct, takeProfitPct } = trade({ stake: '5%', fee: '0.002', slippageBps: '4', stopLoss: '3', takeProfit: '7' });
    expect({ stake, fees, slippageBps, stopLossPct, takeProfitPct }).toEqual({ stake: '5%', fees: { maker: 0.002, taker: 0.002 }, slippageBps: 4, stopLossPct: 3, takeProfitPct: 7 });
  });

  it('name the option of a bad value', () => {
    expect(() => trade({ stopLoss: '120' })).toThrow(/^Invalid value 120 for trade\.stopLossPct from --stop-loss: /);
    expect(() => trade({ fee: 'free' })).toThrow(/^Invalid value "free" for trade\.fees\.maker from --fee: /);
  });
});
