/**
 * The alert rules as configured (`alerts.rules`): which rules there are, their defaults, and the check of a
 * user's object. A user names only the rules and fields they change ({"drawdown": {"pct": 15}}); every rule
 * and field left out keeps its default (resolveAlertRules).
 */
import { ALERT_LEVELS, type AlertLevel } from '../bus/topics';

interface RuleBase {
  readonly enabled: boolean;
  readonly level: AlertLevel;
}

export interface AlertRules {
  readonly agentFaulted: RuleBase;
  readonly agentRestarted: RuleBase;
  readonly safeMode: RuleBase;
  readonly agentSilent: RuleBase;
  readonly staleData: RuleBase;
  /** Alert when an exchange stream is still down this many seconds after it dropped. */
  readonly exchangeDown: RuleBase & { readonly afterS: number };
  /** Alert when `count` orders were refused within `windowMin` minutes. */
  readonly ordersRejected: RuleBase & { readonly count: number; readonly windowMin: number };
  /** Alert when the equity falls `pct` % below its running peak; again only after it was back above that. */
  readonly drawdown: RuleBase & { readonly pct: number };
  /** Alert when the day's PnL is below -`belowPct` % of the equity at the UTC day's first mark; once a day. */
  readonly dailyPnl: RuleBase & { readonly belowPct: number };
  readonly fill: RuleBase;
  readonly riskState: RuleBase;
  readonly profitShare: RuleBase;
}

export type AlertRuleName = keyof AlertRules & string;

/** What `alerts.rules` holds: only what the user changed. */
export type AlertRulesSettings = { readonly [K in AlertRuleName]?: Partial<AlertRules[K]> };

export const DEFAULT_ALERT_RULES: AlertRules = {
  agentFaulted: { enabled: true, level: 'critical' },
  agentRestarted: { enabled: true, level: 'warning' },
  safeMode: { enabled: true, level: 'critical' },
  agentSilent: { enabled: true, level: 'warning' },
  staleData: { enabled: true, level: 'warning' },
  exchangeDown: { enabled: true, level: 'critical', afterS: 60 },
  ordersRejected: { enabled: true, level: 'warning', count: 5, windowMin: 10 },
  drawdown: { enabled: true, level: 'critical', pct: 10 },
  dailyPnl: { enabled: true, level: 'warning', belowPct: 5 },
  fill: { enabled: false, level: 'info' },
  riskState: { enabled: true, level: 'warning' },
  profitShare: { enabled: true, level: 'info' },
};

export const ALERT_RULE_NAMES = Object.keys(DEFAULT_ALERT_RULES) as AlertRuleName[];

interface ThresholdBounds {
  integer: boolean;
  min: number;
  /** The value must be greater than `min`. */
  minExclusive: boolean;
  max: number;
}

const THRESHOLDS: Readonly<Record<string, ThresholdBounds>> = {
  afterS: { integer: true, min: 1, minExclusive: false, max: 86_400 },
  count: { integer: true, min: 1, minExclusive: false, max: 100_000 },
  windowMin: { integer: true, min: 1, minExclusive: false, max: 525_600 },
  pct: { integer: false, min: 0, minExclusive: true, max: 100 },
  belowPct: { integer: false, min: 0, minExclusive: true, max: 100 },
};

/** Why `alerts.rules` was refused: `path` below the key (".drawdown.pct", "" for the whole object). */
export interface AlertRulesProblem {
  reason: string;
  path: string;
  value?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function thresholdProblem(value: unknown, bounds: ThresholdBounds): string | undefined {
  const kind = bounds.integer ? 'an integer' : 'a number';
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!bounds.integer || Number.isInteger(value)) &&
    (bounds.minExclusive ? value > bounds.min : value >= bounds.min) &&
    value <= bounds.max;
  if (ok) return undefined;
  return bounds.minExclusive ? `must be ${kind} greater than ${bounds.min} and at most ${bounds.max}` : `must be ${kind} from ${bounds.min} to ${bounds.max}`;
}

function fieldProblem(field: string, value: unknown): string | undefined {
  if (field === 'enabled') return typeof value === 'boolean' ? undefined : 'must be true or false';
  if (field === 'level') {
    return typeof value === 'string' && (ALERT_LEVELS as readonly string[]).includes(value) ? undefined : 'must be one of "info", "warning" or "critical"';
  }
  const bounds = THRESHOLDS[field];
  return bounds ? thresholdProblem(value, bounds) : undefined;
}

/** The first mistake in an `alerts.rules` value, or undefined when it is fine. */
export function alertRulesProblem(value: unknown): AlertRulesProblem | undefined {
  if (!isObject(value)) return { reason: 'must be an object of rule names to their settings, like {"drawdown": {"pct": 15}, "fill": {"enabled": true}}', path: '' };
  for (const [rule, settings] of Object.entries(value)) {
    const defaults = (DEFAULT_ALERT_RULES as unknown as Record<string, Record<string, unknown>>)[rule];
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_ALERT_RULES, rule) || defaults === undefined) {
      return { reason: `has no rule ${JSON.stringify(rule)}; the rules are ${ALERT_RULE_NAMES.join(', ')}`, path: '' };
    }
    if (!isObject(settings)) return { reason: 'must be an object like {"enabled": true, "level": "warning"}', path: `.${rule}`, value: settings };
    for (const [field, fieldValue] of Object.entries(settings)) {
      if (!Object.prototype.hasOwnProperty.call(defaults, field)) {
        return { reason: `has no setting ${JSON.stringify(field)}; ${rule} takes ${Object.keys(defaults).join(', ')}`, path: `.${rule}`, value: settings };
      }
      const problem = fieldProblem(field, fieldValue);
      if (problem !== undefined) return { reason: problem, path: `.${rule}.${field}`, value: fieldValue };
    }
  }
  return undefined;
}

/** Every rule with the user's fields over its defaults. */
export function resolveAlertRules(settings: AlertRulesSettings): AlertRules {
  const out: Record<string, unknown> = {};
  for (const name of ALERT_RULE_NAMES) out[name] = { ...DEFAULT_ALERT_RULES[name], ...settings[name] };
  return out as unknown as AlertRules;
}

const LEVEL_RANK: Readonly<Record<AlertLevel, number>> = { info: 0, warning: 1, critical: 2 };

/** Whether an alert at `level` passes a channel's `minLevel`. */
export function atLeast(level: AlertLevel, minLevel: AlertLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[minLevel];
}
