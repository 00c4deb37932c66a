/**
 * The alert rules: a message in, zero or more alert candidates out, with no bus, timer or I/O. The state the
 * rules need (the equity's peak, the day's first equity, the refused orders of the window, the streams that
 * are down) lives here; time comes in with each call. The exchange-down rule is the one that fires on time
 * alone: `due(now)` raises it, and `nextDueAt()` says when to call it.
 *
 * `consume` runs on the hot path (portfolio.marked once per period): a message that raises nothing costs a
 * switch, a flag and a few comparisons, and returns the shared empty list.
 */
import type { AlertLevel, EventTopics } from '../bus/topics';
import type { AlertRuleName, AlertRules } from './alert-settings';

/** The topics the rules read. */
export const ALERT_INPUT_TOPICS = [
  'agent.state',
  'agent.restarted',
  'system.safeMode',
  'agent.silent',
  'market.stale',
  'market.resumed',
  'exchange.connection',
  'order.denied',
  'order.filled',
  'risk.state',
  'portfolio.marked',
  'portfolio.updated',
  'portfolio.profitShared',
] as const satisfies ReadonlyArray<keyof EventTopics>;
export type AlertInputTopic = (typeof ALERT_INPUT_TOPICS)[number];

/** An alert before the rate limit: `key` is what "the same alert" means (the rule and its subject). */
export interface AlertCandidate {
  rule: AlertRuleName;
  key: string;
  level: AlertLevel;
  title: string;
  message: string;
}

const NONE: readonly AlertCandidate[] = Object.freeze([]);
const DAY_MS = 86_400_000;

const money = (value: number): string => value.toFixed(2);
const pct = (value: number): string => value.toFixed(2);

export class AlertRuleSet {
  private rules: AlertRules;
  private peak = Number.NaN;
  private inDrawdown = false;
  private day = Number.NaN;
  private dayStartEquity = Number.NaN;
  private dailyFiredDay = Number.NaN;
  private denials: number[] = [];
  /** Stream -> when it dropped, and whether its down alert went out. */
  private readonly down = new Map<string, { since: number; reason: string; alerted: boolean }>();

  constructor(rules: AlertRules) {
    this.rules = rules;
  }

  /** New thresholds and levels (a reload); the state so far stays. */
  setRules(rules: AlertRules): void {
    this.rules = rules;
  }

  consume<K extends AlertInputTopic>(topic: K, payload: EventTopics[K], now: number): readonly AlertCandidate[] {
    switch (topic) {
      case 'portfolio.marked':
      case 'portfolio.updated': {
        const p = payload as EventTopics['portfolio.marked'];
        return this.equity(p.equity, p.time);
      }
      case 'agent.state': {
        const p = payload as EventTopics['agent.state'];
        if (p.to !== 'faulted' || !this.rules.agentFaulted.enabled) return NONE;
        return this.one('agentFaulted', p.agent, `agent ${p.agent} faulted`, `agent ${p.agent} faulted (it was ${p.from}): ${p.error ?? 'no reason given'}`);
      }
      case 'agent.restarted': {
        const p = payload as EventTopics['agent.restarted'];
        if (!this.rules.agentRestarted.enabled) return NONE;
        const paused = p.dependants.length > 0 ? `; ${p.dependants.join(', ')} paused meanwhile` : '';
        return this.one('agentRestarted', p.agent, `agent ${p.agent} restarted`, `agent ${p.agent} restarted (attempt ${p.attempt}, after ${p.delayMs} ms): ${p.reason}${paused}`);
      }
      case 'system.safeMode': {
        const p = payload as EventTopics['system.safeMode'];
        if (!this.rules.safeMode.enabled) return NONE;
        return this.one(
          'safeMode',
          'system',
          'safe mode: trading halted',
          `agent ${p.agent} faulted ${p.restarts} times in ${p.windowS} s (${p.reason}); trading is halted, the bot keeps running`,
        );
      }
      case 'agent.silent': {
        const p = payload as EventTopics['agent.silent'];
        if (!this.rules.agentSilent.enabled) return NONE;
        return this.one('agentSilent', p.agent, `agent ${p.agent} silent`, `agent ${p.agent} has been silent for ${Math.round(p.silentMs / 1000)} s (threshold ${Math.round(p.thresholdMs / 1000)} s)`);
      }
      case 'market.stale': {
        const p = payload as EventTopics['market.stale'];
        if (!this.rules.staleData.enabled) return NONE;
        const symbols = p.symbols.join(', ');
        return this.one('staleData', symbols, `stale data: ${symbols}`, `no market data from ${symbols} for ${Math.round((now - p.lastUpdate) / 1000)} s (threshold ${Math.round(p.thresholdMs / 1000)} s); no entries in them until it resumes`);
      }
      case 'market.resumed': {
        const p = payload as EventTopics['market.resumed'];
        if (!this.rules.staleData.enabled) return NONE;
        const symbols = p.symbols.join(', ');
        return this.one('staleData', `${symbols} resumed`, `data resumed: ${symbols}`, `market data from ${symbols} resumed after ${Math.round(p.staleForMs / 1000)} s`, 'info');
      }
      case 'exchange.connection':
        return this.connection(payload as EventTopics['exchange.connection'], now);
      case 'order.denied':
        return this.denied(payload as EventTopics['order.denied'], now);
      case 'order.filled': {
        const { fill } = payload as EventTopics['order.filled'];
        if (!this.rules.fill.enabled) return NONE;
        return this.one('fill', fill.symbol, `${fill.side} ${fill.symbol} filled`, `${fill.side} ${fill.qty} ${fill.symbol} at ${fill.price} (fee ${fill.fee}, ${fill.reason})`);
      }
      case 'risk.state': {
        const p = payload as EventTopics['risk.state'];
        if (!this.rules.riskState.enabled) return NONE;
        // Back to active is good news: it goes out as info whatever the rule's level.
        return this.one('riskState', 'risk', `trading ${p.state}`, `trading ${p.previous} -> ${p.state} (${p.protection}): ${p.reason}`, p.state === 'active' ? 'info' : undefined);
      }
      case 'portfolio.profitShared': {
        const p = payload as EventTopics['portfolio.profitShared'];
        if (!this.rules.profitShare.enabled) return NONE;
        const tiers = p.tiers.map((t) => `${t.fromPct}-${t.toPct} % at ${t.sharePct} %: ${money(t.amount)}`).join('; ');
        const owed = p.owed > 0 ? `, ${money(p.owed)} still owed` : '';
        return this.one(
          'profitShare',
          'profitShare',
          `profit share: fee ${money(p.fee)}`,
          `profit-share period ${new Date(p.periodStart).toISOString()} to ${new Date(p.periodEnd).toISOString()}: gain ${money(p.gain)} above the mark ${money(p.highWaterMark)}, fee ${money(p.fee)}${tiers ? ` (${tiers})` : ''}, paid ${money(p.paid)}${owed}`,
        );
      }
      default:
        return NONE;
    }
  }

  /** The exchange streams down for longer than `exchangeDown.afterS` by `now`, each alerted once per outage. */
  due(now: number): readonly AlertCandidate[] {
    const rule = this.rules.exchangeDown;
    if (!rule.enabled || this.down.size === 0) return NONE;
    const out: AlertCandidate[] = [];
    for (const [part, outage] of this.down) {
      if (outage.alerted || now - outage.since < rule.afterS * 1000) continue;
      outage.alerted = true;
      out.push(this.candidate('exchangeDown', part, `exchange ${part} stream down`, `the exchange ${part} stream has been down for ${Math.round((now - outage.since) / 1000)} s: ${outage.reason}`));
    }
    return out;
  }

  /** When `due` has something next: the earliest outage not yet alerted, plus afterS. */
  nextDueAt(): number | undefined {
    if (!this.rules.exchangeDown.enabled) return undefined;
    let next: number | undefined;
    for (const outage of this.down.values()) {
      if (outage.alerted) continue;
      const at = outage.since + this.rules.exchangeDown.afterS * 1000;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  private equity(equity: number, time: number): readonly AlertCandidate[] {
    const { drawdown, dailyPnl } = this.rules;
    let out: AlertCandidate[] | undefined;
    if (drawdown.enabled) {
      if (!(equity <= this.peak)) this.peak = equity;
      const below = this.peak > 0 ? ((this.peak - equity) / this.peak) * 100 : 0;
      if (below >= drawdown.pct) {
        if (!this.inDrawdown) {
          this.inDrawdown = true;
          out = [this.candidate('drawdown', 'equity', `drawdown ${pct(below)} %`, `the equity ${money(equity)} is ${pct(below)} % below its peak ${money(this.peak)} (alert at ${drawdown.pct} %)`)];
        }
      } else {
        this.inDrawdown = false;
      }
    }
    if (dailyPnl.enabled) {
      const day = Math.floor(time / DAY_MS);
      if (day !== this.day) {
        this.day = day;
        this.dayStartEquity = equity;
      } else if (this.dailyFiredDay !== day && this.dayStartEquity > 0) {
        const pnlPct = ((equity - this.dayStartEquity) / this.dayStartEquity) * 100;
        if (pnlPct <= -dailyPnl.belowPct) {
          this.dailyFiredDay = day;
          const alert = this.candidate(
            'dailyPnl',
            'day',
            `daily PnL ${pct(pnlPct)} %`,
            `the day's PnL is ${money(equity - this.dayStartEquity)} (${pct(pnlPct)} %) since the equity ${money(this.dayStartEquity)} at the UTC day's start (alert below -${dailyPnl.belowPct} %)`,
          );
          (out ??= []).push(alert);
        }
      }
    }
    return out ?? NONE;
  }

  private connection(p: EventTopics['exchange.connection'], now: number): readonly AlertCandidate[] {
    const outage = this.down.get(p.part);
    if (!p.connected) {
      if (!outage) this.down.set(p.part, { since: now, reason: p.reason, alerted: false });
      return NONE;
    }
    if (!outage) return NONE;
    this.down.delete(p.part);
    // "Back" is worth saying only to whoever heard it was down.
    if (!outage.alerted || !this.rules.exchangeDown.enabled) return NONE;
    return this.one('exchangeDown', `${p.part} back`, `exchange ${p.part} stream back`, `the exchange ${p.part} stream is back after ${Math.round((now - outage.since) / 1000)} s`, 'info');
  }

  private denied(p: EventTopics['order.denied'], now: number): readonly AlertCandidate[] {
    const rule = this.rules.ordersRejected;
    if (!rule.enabled) return NONE;
    const from = now - rule.windowMin * 60_000;
    this.denials = this.denials.filter((t) => t > from);
    this.denials.push(now);
    if (this.denials.length < rule.count) return NONE;
    const count = this.denials.length;
    this.denials = [];
    return this.one(
      'ordersRejected',
      'orders',
      `${count} orders refused`,
      `${count} orders refused in the last ${rule.windowMin} min; the last: ${p.order.side} ${p.order.symbol}, ${p.denial.code}: ${p.denial.message}`,
    );
  }

  private one(rule: AlertRuleName, subject: string, title: string, message: string, level?: AlertLevel): readonly AlertCandidate[] {
    return [this.candidate(rule, subject, title, message, level)];
  }

  private candidate(rule: AlertRuleName, subject: string, title: string, message: string, level?: AlertLevel): AlertCandidate {
    return { rule, key: `${rule}:${subject}`, level: level ?? this.rules[rule].level, title, message };
  }
}
