import type { Candle, Tick } from '../market/types';
import type { ExecutionReports, ExecutionSetup, Executor, ExecutorFactory, ExecutorState } from './executor';
import { FillModel } from './fill-model';
import { OrderIdSequence } from './order-ids';
import type { FeeSchedule, Fill, Order } from './types';

export interface PaperSettings {
  fees: FeeSchedule;
  slippageBps: number;
  /**
   * The run's state is kept in a file: at stop the pending orders are kept there, to go on with the next
   * run, instead of canceled.
   */
  persistent?: boolean;
}

/** Paper trading and backtests: orders fill on the fill model at the next price the market offers. */
export function paperExecution(settings: PaperSettings): ExecutorFactory {
  return (setup) => new PaperExecutor(settings, setup);
}

/**
 * The Executor over the fill model. Fills come out of the price event that causes them, and are reported
 * before the event's handling returns, so a backtest stays one synchronous loop.
 */
export class PaperExecutor implements Executor {
  /** One sequence for the orders the bot sends and the protective exits the model makes: paper-1, paper-2, ... */
  private ids = new OrderIdSequence('paper');
  private readonly model: FillModel;
  private readonly reports: ExecutionReports;

  constructor(
    private readonly settings: PaperSettings,
    { reports, protections }: ExecutionSetup,
  ) {
    this.reports = reports;
    this.model = new FillModel({ fees: { ...settings.fees }, slippageBps: settings.slippageBps, nextOrderId: () => this.ids.next() }, protections);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    const pending = this.model.pending();
    if (this.settings.persistent) {
      if (pending.length > 0) this.reports.notice('info', `${pending.length} pending paper order(s) kept in the state file for the next run: ${pending.map((o) => o.clientOrderId).join(', ')}`);
    } else for (const order of pending) this.cancel(order.clientOrderId, 'the bot is stopping');
    return Promise.resolve();
  }

  accountHoldings(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  snapshot(): ExecutorState {
    return { kind: 'paper', sequence: this.ids.last, ...this.model.toState() };
  }

  /** `known` adds nothing: a paper run commits at the end of a period, when the model holds every order. */
  restore(state: ExecutorState): void {
    if (state.kind !== 'paper') throw new Error('a paper executor cannot take the state of a live one');
    this.ids = new OrderIdSequence('paper', state.sequence);
    this.model.restore(state);
  }

  nextOrderId(): string {
    return this.ids.next();
  }

  submit(order: Order): void {
    this.model.submit(order);
  }

  cancel(clientOrderId: string, reason: string): boolean {
    let order: Order | undefined;
    for (const o of this.model.pendingOrders()) if (o.clientOrderId === clientOrderId) order = o;
    if (order === undefined || !this.model.cancel(clientOrderId)) return false;
    this.reports.canceled(order, reason);
    return true;
  }

  pendingOrders(): Iterable<Readonly<Order>> {
    return this.model.pendingOrders();
  }

  isPending(clientOrderId: string): boolean {
    for (const order of this.model.pendingOrders()) if (order.clientOrderId === clientOrderId) return true;
    return false;
  }

  reservedQuote(): number {
    return this.model.reservedQuote();
  }

  lastPrice(symbol: string): number | undefined {
    return this.model.lastPrice(symbol);
  }

  onTick(tick: Tick): void {
    this.report(this.model.onTick(tick));
  }

  onCandle(candle: Candle): void {
    this.report(this.model.onCandle(candle));
  }

  private report(fills: readonly Fill[]): void {
    // Indexed: for...of over the model's shared frozen empty answer allocated an iterator on every candle.
    for (let i = 0; i < fills.length; i++) this.reports.filled(fills[i]!);
  }
}
