import type { ConfigChanged } from '../config/diff-config';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import type { BotConfig } from '../config/schema';
import { checkBalances, planAccount } from '../execution/balance-check';
import type { ExecutorFactory } from '../execution/executor';
import { OrderManager, type OrderEvents, type TradeState } from '../execution/order-manager';
import type { Order } from '../execution/types';
import { timeframeMs } from '../market/timeframe';
import { readKillFlag } from '../risk/kill-switch-file';
import type { ProtectionsState, RiskStateChange } from '../risk/protections/protection-set';
import { RiskEngine, type RiskSettings } from '../risk/risk-engine';
import { botLevels } from '../strategy/entry-levels';
import type { Journal } from '../state/journal';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';
import type { ControlApplied } from '../bus/topics';
import { ControlRefused } from '../core/errors';

export interface TradeAgentOptions {
  /** Paper (the fill model) or live (the exchange): chosen by the composition root. */
  executor: ExecutorFactory;
  /**
   * The state file: the orders, levels and executor are restored from it at start and written through it.
   * When its commits are durable (live), an order's intent is committed before the order leaves, and what
   * the exchange reports as soon as the books have taken it.
   */
  journal?: Journal;
}

/**
 * The trade side on the bus: hands signals, prices and the books to the order manager (execution/), whose
 * risk engine (risk/) passes and sizes every order, and publishes what becomes of them as `order.*`, with a
 * `signal.rejected` for a signal the risk rules refuse.
 */
export class TradeAgent extends ConfiguredAgent {
  private orders: OrderManager | undefined;
  private risk: RiskEngine | undefined;
  /** The last period's market time: an operator's exit fills from the next period on, as a signal's would. */
  private lastPeriodTime = Number.NaN;

  constructor(
    context: AgentContext,
    private readonly options: TradeAgentOptions,
  ) {
    super(
      {
        name: 'trade',
        dependsOn: ['config', 'portfolio'],
        publishes: TOPIC_OWNERS.trade,
      },
      context,
    );
  }

  protected override async onConfigured(): Promise<void> {
    const risk = new RiskEngine(riskSettings(this.config));
    const orders = new OrderManager({
      executor: this.options.executor,
      risk,
      events: this.orderEvents(),
      periodMs: timeframeMs(this.config.market.timeframe),
      botLevels: () => botLevels(this.config.trade),
    });
    const { journal } = this.options;
    const saved = journal?.document<TradeState>('trade');
    if (saved) orders.restore(saved);
    journal?.slot('trade', () => orders.snapshot(), { always: true });
    const savedRisk = journal?.document<ProtectionsState>('risk');
    if (savedRisk) this.riskChanged(risk.protections.restore(savedRisk, this.clock.now()));
    journal?.slot('risk', () => risk.protections.snapshot(), { always: true });
    await orders.start();
    this.risk = risk;
    this.orders = orders;
    const books = await this.request('portfolio.snapshot', {});
    orders.booksChanged(books);
    this.riskChanged(risk.protections.equity(books.equity, books.time));
    await this.reconcileAccount(orders);
    const { protections } = risk;
    this.subscribe('portfolio.updated', ({ payload }) => {
      orders.booksChanged(payload);
      this.riskChanged(protections.equity(payload.equity, payload.time));
    });
    this.subscribe('portfolio.marked', ({ payload }) => this.riskChanged(protections.equity(payload.equity, payload.time)));
    this.subscribe('position.closed', ({ payload }) => {
      orders.positionClosed(payload);
      this.riskChanged(protections.closed(payload));
    });
    this.subscribe('market.stale', ({ payload }) => risk.marketStale(payload.symbols));
    this.subscribe('market.resumed', ({ payload }) => risk.marketResumed(payload.symbols));
    this.subscribe('signal.emitted', ({ payload }) => orders.onSignal(payload, this.clock.now()));
    this.subscribe('market.tick', ({ payload }) => orders.onTick(payload));
    this.subscribe('rebalance.planned', ({ payload }) => orders.rebalance(payload, this.clock.now()));
    // Phase 1 of a period (PERIOD_PHASES): pauses end and the kill switch is looked at, then the orders
    // pending fill at its opens.
    // The protections keep market time, as the marks and trades they are fed carry it.
    this.subscribe('system.safeMode', ({ payload }) => {
      this.riskChanged(protections.setHold(protections.safeMode, true, `safe mode: ${payload.reason}`, this.marketTime()));
    });
    this.handleOperators(orders, risk);
    this.subscribe('market.candles', ({ payload }) => {
      this.lastPeriodTime = payload.time;
      this.riskChanged(protections.tick(payload.time));
      // A field check per period while the kill switch has no file: no fs call in a backtest.
      if (this.config.risk.killSwitch.file !== '') this.lookAtKillSwitch(payload.time);
      orders.onCandles(payload.candles);
    });
  }

  /** An operator's commands (the REST API's): pause or resume entries, exit one position or all. */
  private handleOperators(orders: OrderManager, risk: RiskEngine): void {
    const { protections } = risk;
    this.handle('trade.orders', () => orders.openOrders());
    this.handle('trade.entries', ({ payload: { paused, by } }) => {
      if (paused === protections.operator.on) return { detail: `entries were already ${paused ? 'paused' : 'resumed'}` };
      const why = paused ? `entries paused by an operator (${by})` : `entries resumed by an operator (${by})`;
      this.riskChanged(protections.setHold(protections.operator, paused, why, this.marketTime()));
      this.journal('operator.entries', { paused, by });
      return this.applied(paused ? 'pause-entries' : 'resume-entries', paused ? 'entries paused; exits still go' : 'entries resumed', by);
    });
    this.handle('trade.exit', async ({ payload: { symbol, by } }) => {
      const books = await this.request('portfolio.snapshot', {});
      orders.booksChanged(books);
      if (symbol !== undefined && !books.positions.some((p) => p.symbol === symbol && p.qty > 0)) {
        throw new ControlRefused(`no open position in ${symbol} to exit (open: ${books.positions.map((p) => p.symbol).join(', ') || 'none'})`);
      }
      const notBefore = Number.isNaN(this.lastPeriodTime) ? 0 : this.lastPeriodTime + timeframeMs(this.config.market.timeframe);
      const placed = orders.exitAll('operator', this.clock.now(), notBefore, symbol);
      const what = symbol ?? 'every position';
      if (placed === 0) throw new ControlRefused(symbol === undefined ? 'no open position to exit' : `the exit of ${symbol} was refused or is already pending`);
      return this.applied(symbol === undefined ? 'exit-all' : 'exit-position', `exit of ${what} sent (${placed} order${placed === 1 ? '' : 's'}), filling at the next price`, by);
    });
  }

  private applied(action: ControlApplied['action'], detail: string, by: string): { detail: string } {
    this.log.info(`operator (${by}): ${detail}`);
    this.publish('control.applied', { action, detail, by });
    return { detail };
  }

  /** Market time for a change the clock made, not a candle: the last period's, before any the clock's. */
  private marketTime(): number {
    return Number.isNaN(this.lastPeriodTime) ? this.clock.now() : this.lastPeriodTime;
  }

  /**
   * The flag file of `risk.killSwitch.file`, once a period: on, it halts trading, having first sold every
   * open position when `exitPositions` (or `halt --exit`) asks for it; gone, it lets go.
   */
  private lookAtKillSwitch(periodTime: number): void {
    const { file, exitPositions } = this.config.risk.killSwitch;
    const flag = readKillFlag(file);
    const { protections } = this.risk!;
    if (flag.on === protections.killSwitch.on) return;
    if (flag.on && (exitPositions || flag.exit)) {
      this.log.warn(`kill switch: ${file} exists, selling every open position before trading halts`);
      // Decided now, on this period: the exits fill at the next price, as a signal's would.
      this.orders!.exitAll('kill-switch', this.clock.now(), periodTime + timeframeMs(this.config.market.timeframe));
    }
    this.riskChanged(protections.setKillSwitch(flag.on, file, periodTime));
  }

  /** Publishes and logs a change of the trading state, naming the protection and its figures. */
  private riskChanged(change: RiskStateChange | undefined): void {
    if (change === undefined) return;
    this.publish('risk.state', change);
    const { state, protection, reason } = change;
    this.log.warn(state === 'active' ? `trading active again, ${protection} let go: ${reason}` : `trading ${state} by ${protection}: ${reason}`);
  }

  /**
   * Live, before any new order: the books against the account (balance-check.ts), once the orders are
   * reconciled. The exchange wins for balances; what the books take is the portfolio's to apply.
   */
  private async reconcileAccount(orders: OrderManager): Promise<void> {
    const holdings = await orders.accountHoldings();
    if (holdings === undefined) return;
    const snapshot = await this.request('portfolio.snapshot', {});
    const { market, trade, state } = this.config;
    const findings = checkBalances(snapshot, holdings, { symbols: market.symbols, feeRate: trade.fees.taker });
    const prices = new Map<string, number>();
    for (const u of findings.unknown) {
      if (u.symbol === undefined) continue;
      const [last] = await this.request('market.history', { symbol: u.symbol, timeframe: market.timeframe, limit: 1 });
      if (last) prices.set(u.symbol, last.close);
    }
    const rules = { quote: snapshot.quoteCurrency, adoptUnknown: state.adoptUnknownBalances, minNotional: trade.minNotional };
    const plan = planAccount(findings, rules, (symbol) => prices.get(symbol));
    for (const warning of plan.warnings) this.log.warn(warning);
    if (plan.reconciliation) orders.booksChanged(await this.request('portfolio.reconcile', plan.reconciliation));
    this.log.info(`account reconciled with the exchange${plan.warnings.length === 0 ? ': the books agree with it' : ''}`);
  }

  protected override onConfigChanged(_change: ConfigChanged): void {
    const { risk } = this;
    if (!risk) return;
    const now = this.clock.now();
    this.riskChanged(risk.configure(riskSettings(this.config), now));
    // An emptied key turns the switch off; a new file is looked at with the next period.
    if (this.config.risk.killSwitch.file === '' && risk.protections.killSwitch.on) {
      this.riskChanged(risk.protections.setKillSwitch(false, 'risk.killSwitch.file is empty, so its file', now));
    }
  }

  protected override async onStop(): Promise<void> {
    // The executor first: a live one waits for the answers to orders already sent, whose fills the books
    // (stopped after this agent) still take; then the state is written as the executor left it.
    try {
      await this.orders?.stop();
    } finally {
      this.options.journal?.commit();
      this.orders = undefined;
    }
  }

  /** Writes an event down; with durable commits (live) at once, since it may be about an order on an exchange. */
  private journal(kind: string, data: unknown): void {
    this.options.journal?.append(kind, this.clock.now(), data);
    this.settle();
  }

  /** Durable commits (live): what an exchange did is committed as soon as the books took it. */
  private settle(): void {
    const { journal } = this.options;
    if (journal?.durable) journal.commit();
  }

  private orderEvents(): OrderEvents {
    return {
      submitted: (order, signal) => {
        // Written down before the order is handed to the executor, which may send it at once.
        this.journal('order.submitted', { order });
        this.publish('order.submitted', { order });
        if (this.log.isEnabled('info')) this.log.info(`order ${describeOrder(order)}${signal ? ` (${signal.strategy}: ${signal.reason})` : ` (${order.reason})`}`);
      },
      accepted: (order) => {
        this.log.debug(`order ${order.clientOrderId} accepted by the exchange`);
        this.journal('order.acknowledged', { clientOrderId: order.clientOrderId });
      },
      filled: (order, fill) => {
        // Logged before it is published, so the log reads fill first, then what the portfolio made of it.
        if (this.log.isEnabled('info')) {
          this.log.info(`filled ${fill.clientOrderId} ${fill.side} ${fill.qty.toPrecision(6)} ${fill.symbol} @ ${fill.price.toPrecision(8)}, fee ${fill.fee.toFixed(4)} (${fill.reason})`);
        }
        this.options.journal?.append('order.filled', this.clock.now(), { fill });
        this.publish('order.filled', { order, fill });
        // After the publish: the books have taken the fill, so the commit holds both or neither.
        this.settle();
      },
      denied: (order, denial, signal) => {
        this.publish('order.denied', { order, denial });
        // A signal refused before any order existed changes nothing worth keeping; a sent order refused does.
        if (!signal) this.journal('order.rejected', { clientOrderId: order.clientOrderId, denial });
        this.log.info(`order denied [${denial.code}]: ${denial.message}`);
        if (!signal) return;
        const { symbol, strategy, action, candleTime } = signal;
        this.publish('signal.rejected', { symbol, strategy, action, reason: 'risk', detail: `[${denial.code}] ${denial.message}`, candleTime });
      },
      canceled: (order, reason) => {
        this.publish('order.canceled', { order, reason });
        this.journal('order.canceled', { clientOrderId: order.clientOrderId, reason });
        this.log.info(`canceled ${describeOrder(order)}: ${reason}`);
      },
      notice: (level, message) => this.log[level](message),
      connection: (connected, reason, kind) => {
        if (!connected && kind !== undefined) this.publish('exchange.error', { kind, message: reason });
        this.publish('exchange.connection', { part: 'orders', connected, reason });
      },
      rebalanced: (done) => {
        this.publish('rebalance.completed', done);
        this.journal('rebalance.completed', { time: done.time, legs: done.legs.length, traded: done.traded });
        this.log.info(`rebalance (${done.reason}) decided at ${new Date(done.time).toISOString()} done: ${done.legs.length} leg(s), ${done.traded.toFixed(2)} traded`);
      },
    };
  }
}

/** The keys of the risk engine, every one reloadable: `trade.stake`, the minimum order and `risk.*`. */
function riskSettings(config: BotConfig): RiskSettings {
  const { trade, risk } = config;
  return {
    stake: trade.stake,
    maxOpenPositions: risk.maxOpenPositions,
    maxPositionPct: risk.maxPositionPct,
    minNotional: trade.minNotional,
    protections: {
      maxDrawdownPct: risk.maxDrawdownPct,
      dailyLossPct: risk.dailyLossPct,
      stoplossGuard: { ...risk.stoplossGuard },
      cooldownAfterLossMin: risk.cooldownAfterLossMin,
    },
    exposure: { totalPct: risk.maxExposurePct, assetPct: risk.maxAssetExposurePct },
  };
}

function describeOrder(order: Order): string {
  const size = order.quoteAmount !== undefined ? `${order.quoteAmount.toFixed(2)} quote` : `${order.qty?.toPrecision(6)}`;
  return `${order.clientOrderId} ${order.side} ${order.type} ${order.symbol} ${size}`;
}
