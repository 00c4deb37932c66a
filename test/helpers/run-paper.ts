import type { Envelope } from '../../src/bus/envelope';
import type { OrderDenied, OrderFilled, PortfolioFinal } from '../../src/bus/topics';
import type { ClosedTrade, PortfolioSnapshot } from '../../src/portfolio/types';
import { testApp, type TestApp, type TestAppOptions } from './test-app';

export interface PaperRun {
  app: TestApp;
  fills: OrderFilled[];
  denials: OrderDenied[];
  /** Snapshots published right after each fill. */
  afterFills: PortfolioSnapshot[];
  final: PortfolioFinal | undefined;
  closedTrades: ClosedTrade[];
  messages: Envelope[];
}

/**
 * Runs the whole app on the simulated clock until the market feed ends (set BOT_RUN_CANDLES), then stops
 * it, recording fills, denials and the portfolio after each fill.
 */
export async function runPaper(options: TestAppOptions & { keepMessages?: boolean } = {}): Promise<PaperRun> {
  const app = testApp(options);
  const run: PaperRun = { app, fills: [], denials: [], afterFills: [], final: undefined, closedTrades: [], messages: [] };
  let lastWasFill = false;
  app.bus.tap((message) => {
    if (options.keepMessages) run.messages.push(message);
    if (message.topic === 'order.filled') {
      run.fills.push(message.payload as OrderFilled);
      lastWasFill = true;
    } else if (message.topic === 'portfolio.updated' && lastWasFill) {
      run.afterFills.push(message.payload as PortfolioSnapshot);
      lastWasFill = false;
    } else if (message.topic === 'order.denied') {
      run.denials.push(message.payload as OrderDenied);
    } else if (message.topic === 'position.closed') {
      run.closedTrades.push(message.payload as ClosedTrade);
    } else if (message.topic === 'portfolio.final') {
      run.final = message.payload as PortfolioFinal;
    }
  });
  let ended = false;
  app.bus.subscribe('test', 'market.ended', () => {
    ended = true;
  });
  await app.orchestrator.startAll();
  for (let step = 0; !ended; step++) {
    if (step > 1_000_000) throw new Error('the market feed never ended: is BOT_RUN_CANDLES set?');
    app.clock.advance(1_000);
    // Let async listeners (config reloads, requests) settle between steps.
    await Promise.resolve();
  }
  await app.orchestrator.stopAll('test over');
  return run;
}

/**
 * A paper run a backtest can replay exactly: one symbol, one tick per candle (the paper run's "next tick" is
 * then the backtest's "next candle's open"), sma-cross 5/20 spending all the cash, no stop.
 */
export function replayablePaperEnv(candles: number, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    BOT_MARKET_SYMBOLS: 'BTC/USDT',
    BOT_MARKET_SIMULATED_TICKS_PER_CANDLE: '1',
    BOT_MARKET_SPEED: '1000',
    BOT_MONITOR_STATUS_INTERVAL_MS: '0',
    BOT_RUN_CANDLES: String(candles),
    BOT_ANALYSIS_STRATEGIES: 'sma-cross',
    BOT_STRATEGY_PARAMS: '{"sma-cross":{"fast":5,"slow":20}}',
    BOT_TRADE_STAKE: 'all',
    BOT_TRADE_STOP_LOSS_PCT: '0',
    BOT_RISK_MAX_POSITION_PCT: '100',
    BOT_TRADE_SLIPPAGE_BPS: '5',
    ...extra,
  };
}
