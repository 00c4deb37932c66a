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
