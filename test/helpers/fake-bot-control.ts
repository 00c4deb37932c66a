/**
 * A BotControl for the API's tests: canned answers, every call recorded (method and arguments), a command
 * refused with ControlRefused when told to, and live events pushed by hand.
 */
import { ControlRefused, type BotControl, type BotStatus, type ControlResult, type EquityPoint, type LiveEvent, type StrategyReport, type TradesQuery } from '../../src/api/bot-control';
import type { BotConfig } from '../../src/config/schema';
import type { Order } from '../../src/execution/types';
import type { Candle } from '../../src/market/types';
import type { ClosedTrade, PortfolioSnapshot, PositionView } from '../../src/portfolio/types';
import { SCHEMA_DEFAULTS } from '../fixtures/schema-defaults';

export interface RecordedCall {
  method: keyof BotControl;
  args: unknown[];
}

export const POSITION: PositionView = { symbol: 'BTC/USDT', qty: 0.1, avgEntry: 40_000, entryTime: 1_000, lastPrice: 41_000, unrealizedPnl: 100, entryFees: 4 };

export const PORTFOLIO: PortfolioSnapshot = {
  time: 2_000,
  quoteCurrency: 'USDT',
  cash: 5_900,
  positions: [POSITION],
  positionsValue: 4_100,
  equity: 10_000,
  realizedPnl: 0,
  feesPaid: 4,
};

export const ORDER: Order = {
  clientOrderId: 'bot-1',
  symbol: 'ETH/USDT',
  side: 'buy',
  type: 'market',
  quoteAmount: 500,
  reason: 'signal',
  origin: 'sma-cross',
  createdAt: 1_500,
};

export const TRADE: ClosedTrade = {
  symbol: 'BTC/USDT',
  entryTime: 100,
  exitTime: 900,
  side: 'long',
  qty: 0.1,
  entryPrice: 39_000,
  exitPrice: 40_000,
  fees: 8,
  pnl: 92,
  pnlPct: 2.3,
  exitReason: 'signal',
};

export const STATUS: BotStatus = {
  mode: 'paper',
  startedAt: 0,
  uptimeS: 2,
  agents: [{ name: 'data', state: 'running', since: 0, messagesIn: 1, messagesOut: 2, restarts: 0 }],
  risk: { state: 'active' },
  entriesPaused: false,
  data: { symbols: ['BTC/USDT'], timeframe: '1m', lastCandleTime: 60_000, ageMs: 100, stale: [] },
  strategies: ['sma-cross'],
};

export const STRATEGY: StrategyReport = { name: 'sma-cross', params: { fast: 10, slow: 30 }, symbols: ['BTC/USDT'], timeframe: '1m' };
export const CANDLE: Candle = { symbol: 'BTC/USDT', timeframe: '1m', time: 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
export const EQUITY: EquityPoint[] = [
  { time: 0, equity: 10_000 },
  { time: 60_000, equity: 10_050 },
];

export class FakeBotControl implements BotControl {
  readonly calls: RecordedCall[] = [];
  /** Set to make the next commands refuse with this sentence. */
  refuseWith: string | undefined;
  readonly configValue: BotConfig = { ...SCHEMA_DEFAULTS, exchange: { ...SCHEMA_DEFAULTS.exchange, secret: 'hunter2-secret', apiKey: 'key-123' } };
  private readonly listeners = new Set<(event: LiveEvent) => void>();

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Pushes an event to whoever listens, as the bot would. */
  emit(event: LiveEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** The recorded calls of one method, or all commands (the methods that change something). */
  commands(): RecordedCall[] {
    return this.calls.filter((c) => COMMANDS.has(c.method));
  }

  status(): BotStatus {
    this.record('status');
    return STATUS;
  }
  async portfolio(): Promise<PortfolioSnapshot> {
    this.record('portfolio');
    return PORTFOLIO;
  }
  async positions(): Promise<PositionView[]> {
    this.record('positions');
    return [POSITION];
  }
  async orders(): Promise<Order[]> {
    this.record('orders');
    return [ORDER];
  }
  trades(query: TradesQuery): ClosedTrade[] {
    this.record('trades', query);
    return [TRADE];
  }
  equity(maxPoints?: number): EquityPoint[] {
    this.record('equity', maxPoints);
    return EQUITY;
  }
  async candles(symbol: string, limit: number): Promise<Candle[]> {
    this.record('candles', symbol, limit);
    return [CANDLE];
  }
  config(): BotConfig {
    this.record('config');
    return this.configValue;
  }
  strategies(): StrategyReport[] {
    this.record('strategies');
    return [STRATEGY];
  }

  pauseEntries(by: string): Promise<ControlResult> {
    return this.command('pauseEntries', 'entries paused', by);
  }
  resumeEntries(by: string): Promise<ControlResult> {
    return this.command('resumeEntries', 'entries resumed', by);
  }
  exitPosition(symbol: string, by: string): Promise<ControlResult> {
    return this.command('exitPosition', `exit of ${symbol} asked`, symbol, by);
  }
  exitAll(by: string): Promise<ControlResult> {
    return this.command('exitAll', 'exit of every position asked', by);
  }
  stop(by: string): Promise<ControlResult> {
    return this.command('stop', 'stop asked', by);
  }
  reloadStrategies(by: string): Promise<ControlResult> {
    return this.command('reloadStrategies', 'strategies reloaded', by);
  }
  restartAgent(name: string, by: string): Promise<ControlResult> {
    return this.command('restartAgent', `agent ${name} restarted`, name, by);
  }
  setConfig(key: string, value: unknown, by: string): Promise<ControlResult> {
    return this.command('setConfig', `${key} set to ${JSON.stringify(value)}`, key, value, by);
  }

  onEvent(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private record(method: keyof BotControl, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private async command(method: keyof BotControl, detail: string, ...args: unknown[]): Promise<ControlResult> {
    this.record(method, ...args);
    if (this.refuseWith !== undefined) throw new ControlRefused(this.refuseWith);
    return { ok: true, detail };
  }
}

const COMMANDS: ReadonlySet<keyof BotControl> = new Set<keyof BotControl>([
  'pauseEntries',
  'resumeEntries',
  'exitPosition',
  'exitAll',
  'stop',
  'reloadStrategies',
  'restartAgent',
  'setConfig',
]);
