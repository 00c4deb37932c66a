import { AlertRuleSet, type AlertCandidate } from '../../../src/alerts/alert-rules';
import { resolveAlertRules, type AlertRulesSettings } from '../../../src/alerts/alert-settings';
import type { OrderDenied } from '../../../src/bus/topics';

const DAY = 86_400_000;
const rulesWith = (settings: AlertRulesSettings = {}): AlertRuleSet => new AlertRuleSet(resolveAlertRules(settings));
const rulesOf = (found: readonly AlertCandidate[]): string[] => found.map((a) => a.rule);

function denial(symbol = 'BTC/USDT'): OrderDenied {
  return {
    order: { clientOrderId: 'o-1', symbol, side: 'buy', type: 'market', reason: 'entry', origin: 's', createdAt: 0 } as unknown as OrderDenied['order'],
    denial: { code: 'insufficient-funds', message: 'not enough cash' } as OrderDenied['denial'],
  };
}

describe('alert rules', () => {
  it('raise agentFaulted only for a transition to faulted, per agent, at the rule level', () => {
    const rules = rulesWith({ agentFaulted: { level: 'warning' } });
    expect(rules.consume('agent.state', { agent: 'data', from: 'starting', to: 'running' }, 0)).toEqual([]);
    const [alert] = rules.consume('agent.state', { agent: 'data', from: 'running', to: 'faulted', error: 'socket closed' }, 0);
    expect(alert).toMatchObject({ rule: 'agentFaulted', key: 'agentFaulted:data', level: 'warning' });
    expect(alert?.message).toContain('socket closed');
  });

  it('raise nothing for a rule that is off', () => {
    const rules = rulesWith({ agentFaulted: { enabled: false }, safeMode: { enabled: false } });
    expect(rules.consume('agent.state', { agent: 'data', from: 'running', to: 'faulted', error: 'x' }, 0)).toEqual([]);
    expect(rules.consume('system.safeMode', { agent: 'data', reason: 'x', restarts: 4, windowS: 60 }, 0)).toEqual([]);
    expect(rules.consume('order.filled', { order: denial().order, fill: { symbol: 'BTC/USDT', side: 'buy', qty: 1, price: 2, fee: 0, reason: 'entry' } as never }, 0)).toEqual([]);
  });

  it('raise ordersRejected when count refusals fall within the window, then start counting again', () => {
    const rules = rulesWith({ ordersRejected: { count: 3, windowMin: 10 } });
    const min = 60_000;
    expect(rules.consume('order.denied', denial(), 0)).toEqual([]);
    expect(rules.consume('order.denied', denial(), 1 * min)).toEqual([]);
    // The first one leaves the window before the third comes.
    expect(rules.consume('order.denied', denial(), 10 * min)).toEqual([]);
    const fired = rules.consume('order.denied', denial('ETH/USDT'), 10.5 * min);
    expect(rulesOf(fired)).toEqual(['ordersRejected']);
    expect(fired[0]?.message).toMatch(/^3 orders refused in the last 10 min; the last: buy ETH\/USDT, insufficient-funds/);
    expect(rules.consume('order.denied', denial(), 11 * min)).toEqual([]);
  });

  it('raise drawdown once when the equity crosses pct below its peak, and again only after it recovered', () => {
    const rules = rulesWith({ drawdown: { pct: 10 }, dailyPnl: { enabled: false } });
    const mark = (equity: number): string[] => rulesOf(rules.consume('portfolio.marked', { time: 0, equity, positionsValue: 0 }, 0));
    expect(mark(1000)).toEqual([]);
    expect(mark(1200)).toEqual([]);
    expect(mark(1081)).toEqual([]); // 9.9 % below 1200
    expect(mark(1080)).toEqual(['drawdown']); // 10 %
    expect(mark(1000)).toEqual([]); // still in it
    expect(mark(1100)).toEqual([]); // recovered to 8.3 %: armed again
    expect(mark(1050)).toEqual(['drawdown']);
  });

  it('raise dailyPnl once per UTC day, from the equity at the day\'s first mark, via portfolio.updated too', () => {
    const rules = rulesWith({ dailyPnl: { belowPct: 5 }, drawdown: { enabled: false } });
    const day0 = Date.UTC(2024, 0, 1);
    const at = (time: number, equity: number): string[] => rulesOf(rules.consume('portfolio.marked', { time, equity, positionsValue: 0 }, time));
    expect(at(day0 + 1000, 1000)).toEqual([]);
    expect(at(day0 + 2000, 951)).toEqual([]);
    expect(at(day0 + 3000, 950)).toEqual(['dailyPnl']);
    expect(at(day0 + 4000, 900)).toEqual([]);
    // A new day starts from its own first equity: 900 -> 860 is -4.4 %, 855 is -5 %.
    expect(at(day0 + DAY + 10, 900)).toEqual([]);
    expect(at(day0 + DAY + 20, 860)).toEqual([]);
    const snapshot = { time: day0 + DAY + 30, equity: 855, quoteCurrency: 'USDT', cash: 855, positions: [], positionsValue: 0, realizedPnl: 0, feesPaid: 0 };
    const fired = rules.consume('portfolio.updated', snapshot, 0);
    expect(rulesOf(fired)).toEqual(['dailyPnl']);
    expect(fired[0]?.message).toContain('-5.00 %');
  });

  it('raise exchangeDown when a stream is still down afterS later, once per outage, and say when it is back', () => {
    const rules = rulesWith({ exchangeDown: { afterS: 30 } });
    expect(rules.consume('exchange.connection', { part: 'market', connected: false, reason: 'ECONNRESET' }, 1000)).toEqual([]);
    expect(rules.nextDueAt()).toBe(31_000);
    expect(rules.due(30_999)).toEqual([]);
    const [down] = rules.due(31_000);
    expect(down).toMatchObject({ rule: 'exchangeDown', level: 'critical', key: 'exchangeDown:market' });
    expect(down?.message).toContain('ECONNRESET');
    expect(rules.due(60_000)).toEqual([]);
    expect(rules.nextDueAt()).toBeUndefined();
    const [back] = rules.consume('exchange.connection', { part: 'market', connected: true, reason: 'reconnected' }, 61_000);
    expect(back).toMatchObject({ rule: 'exchangeDown', level: 'info' });
    expect(back?.message).toContain('back after 60 s');
  });

  it('say nothing of a short outage that ended before afterS', () => {
    const rules = rulesWith({ exchangeDown: { afterS: 30 } });
    rules.consume('exchange.connection', { part: 'orders', connected: false, reason: 'x' }, 0);
    expect(rules.consume('exchange.connection', { part: 'orders', connected: true, reason: 'y' }, 10_000)).toEqual([]);
    expect(rules.nextDueAt()).toBeUndefined();
    expect(rules.due(100_000)).toEqual([]);
  });

  it('raise riskState at the rule level, and the return to active as info', () => {
    const rules = rulesWith();
    const [halted] = rules.consume('risk.state', { state: 'halted', previous: 'active', protection: 'maxDrawdown', reason: 'down 12 %', time: 0 } as never, 0);
    expect(halted).toMatchObject({ rule: 'riskState', level: 'warning' });
    const [active] = rules.consume('risk.state', { state: 'active', previous: 'halted', protection: 'maxDrawdown', reason: 'back', time: 0 } as never, 0);
    expect(active).toMatchObject({ rule: 'riskState', level: 'info' });
  });

  it('raise profitShare with the tiers, and stale data with its symbols', () => {
    const rules = rulesWith();
    const [share] = rules.consume(
      'portfolio.profitShared',
      { time: 0, periodStart: 0, periodEnd: DAY, equityBefore: 1200, highWaterMark: 1000, newHighWaterMark: 1160, gain: 200, fee: 40, paid: 40, owed: 0, tiers: [{ fromPct: 0, toPct: 10, sharePct: 20, amount: 20 }] },
      0,
    );
    expect(share).toMatchObject({ rule: 'profitShare', level: 'info' });
    expect(share?.message).toContain('0-10 % at 20 %: 20.00');
    const [stale] = rules.consume('market.stale', { symbols: ['BTC/USDT', 'ETH/USDT'], lastUpdate: 0, thresholdMs: 30_000 }, 45_000);
    expect(stale).toMatchObject({ rule: 'staleData', key: 'staleData:BTC/USDT, ETH/USDT' });
    expect(stale?.message).toContain('for 45 s');
  });

  it('take new thresholds on a reload and keep their state', () => {
    const rules = rulesWith({ dailyPnl: { enabled: false } });
    const mark = (equity: number): string[] => rulesOf(rules.consume('portfolio.marked', { time: 0, equity, positionsValue: 0 }, 0));
    mark(1000);
    expect(mark(940)).toEqual([]);
    rules.setRules(resolveAlertRules({ drawdown: { pct: 5 }, dailyPnl: { enabled: false } }));
    expect(mark(940)).toEqual(['drawdown']);
  });
});
