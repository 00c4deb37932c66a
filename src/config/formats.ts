/**
 * The value formats of the configuration schema. schema.ts registers each one with convict (once); the loader
 * calls the same functions directly so it can name the source of a bad value. Format names carry a `bot-`
 * prefix because convict's format registry is global to the process and already holds `int`, `integer`,
 * `nat`, ...: our stricter versions must not replace them for other convict users.
 *
 * None of these formats gives convict a `coerce` function on purpose: convict coerces every string it is
 * handed, from files too (a file's "5" would silently become 5). Only environment variables and string
 * command-line flags are converted, by the loader, through `fromString`.
 */
import { alertRulesProblem } from '../alerts/alert-settings';
import { ladderProblem, roiProblem } from '../execution/exit-levels';
import { allocationsProblem } from '../portfolio/strategy-books';
import { checkProfitShareSchedule, ProfitShareScheduleError } from '../portfolio/profit-share';
import { checkRebalanceSettings, RebalanceSettingsError } from '../portfolio/rebalance-settings';
import { parseStake } from '../risk/sizing';
import { findJsonSyntaxError } from './json-syntax-error';

/**
 * Why a value was rejected. The message is the reason only ("must be ..."), without the value: the loader
 * adds the value, the key and the source, and leaves the value out for sensitive keys. `key` and `value`
 * point below the checked key when the problem is nested (strategy.params.sma.fast).
 */
export class FormatError extends Error {
  constructor(
    reason: string,
    readonly subPath?: string,
    readonly subValue?: unknown,
  ) {
    super(reason);
    this.name = 'FormatError';
  }
}

export type BotFormatName =
  | 'bot-integer'
  | 'bot-number'
  | 'bot-boolean'
  | 'bot-string'
  | 'bot-non-empty-string'
  | 'bot-one-of'
  | 'bot-strategy-params'
  | 'bot-symbol-list'
  | 'bot-name-list'
  | 'bot-agent-counts'
  | 'bot-speed'
  | 'bot-stake'
  | 'bot-price-map'
  | 'bot-weight-map'
  | 'bot-take-profit-tiers'
  | 'bot-roi-table'
  | 'bot-allocations'
  | 'bot-profit-share'
  | 'bot-rebalance'
  | 'bot-alert-rules';

/** The schema-item fields the formats read (convict passes the whole schema item to a format). */
export interface FormatBounds {
  /** bot-integer, bot-number: smallest allowed value. */
  min?: number;
  /** bot-number: `min` itself is not allowed (a value must be greater than `min`). */
  minExclusive?: boolean;
  /** bot-integer, bot-number: largest allowed value. */
  max?: number;
  /** bot-one-of: the allowed values. */
  values?: readonly string[];
}

export interface BotFormat {
  /** Throws a FormatError when the value is not acceptable. */
  validate(value: unknown, bounds: FormatBounds): void;
  /**
   * Turns the text of an environment variable or of a string flag into a value of the right type. Text that
   * does not convert is returned unchanged, so `validate` rejects it with the usual reason; bot-strategy-params
   * throws a FormatError for malformed JSON because the JSON error is the useful part.
   */
  fromString(raw: string): unknown;
}

const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function numberFromString(raw: string): unknown {
  const text = raw.trim();
  return NUMBER_TEXT.test(text) ? Number(text) : raw;
}

function identity(raw: string): unknown {
  return raw;
}

function rangeText(kind: 'an integer' | 'a number', bounds: FormatBounds): string {
  const { min, max, minExclusive } = bounds;
  if (min !== undefined && max !== undefined) {
    return minExclusive ? `must be ${kind} greater than ${min} and at most ${max}` : `must be ${kind} from ${min} to ${max}`;
  }
  if (min !== undefined) return minExclusive ? `must be ${kind} greater than ${min}` : `must be ${kind} of ${min} or more`;
  if (max !== undefined) return `must be ${kind} of at most ${max}`;
  return `must be ${kind}`;
}

function inRange(value: number, bounds: FormatBounds): boolean {
  const { min, max, minExclusive } = bounds;
  if (min !== undefined && (minExclusive ? value <= min : value < min)) return false;
  if (max !== undefined && value > max) return false;
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function quoteList(values: readonly string[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function validateStrategyParams(value: unknown): void {
  if (!isPlainObject(value)) {
    throw new FormatError('must be an object mapping each strategy name to an object of parameters');
  }
  for (const [strategy, params] of Object.entries(value)) {
    const strategyPath = `strategy.params.${strategy}`;
    if (strategy.trim() === '' || strategy === '__proto__') {
      throw new FormatError(`has an invalid strategy name ${JSON.stringify(strategy)}`);
    }
    if (!isPlainObject(params)) {
      throw new FormatError('must be an object mapping each parameter name to a number, a string or a boolean', strategyPath, params);
    }
    for (const [name, param] of Object.entries(params)) {
      if (name.trim() === '' || name === '__proto__') {
        throw new FormatError(`has an invalid parameter name ${JSON.stringify(name)}`, strategyPath, params);
      }
      const ok = typeof param === 'string' || typeof param === 'boolean' || (typeof param === 'number' && Number.isFinite(param));
      if (!ok) throw new FormatError('must be a finite number, a string or a boolean', `${strategyPath}.${name}`, param);
    }
  }
}

function strategyParamsFromString(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    const problem = findJsonSyntaxError(raw);
    const where = problem ? `: ${problem.reason} at line ${problem.line}, column ${problem.column}` : '';
    throw new FormatError(`must be a JSON object mapping strategy names to parameters, and this text is not valid JSON${where}`);
  }
}

const SYMBOL = /^[A-Z0-9]+\/[A-Z0-9]+$/;
const NAME = /^[a-z0-9][a-z0-9-]*$/;
const AGENT_COUNT = /^[a-z][a-z-]*(:[1-9][0-9]*)?$/;

/** A comma-separated list from the environment or a flag; spaces around items are dropped. */
function listFromString(raw: string): unknown {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `mayBeEmpty`: the strategies, which a rebalancing bot may leave empty (build-app.ts checks the pair). */
function validateList(value: unknown, pattern: RegExp, what: string, mayBeEmpty = false): void {
  if (!Array.isArray(value) || (value.length === 0 && !mayBeEmpty)) throw new FormatError(`must be a non-empty list of ${what}`);
  for (const item of value) {
    if (typeof item !== 'string' || !pattern.test(item)) {
      throw new FormatError(`must be a non-empty list of ${what}, and ${JSON.stringify(item)} is not one`);
    }
  }
  if (new Set(value).size !== value.length) throw new FormatError(`must not list the same item twice`);
}

function validatePriceMap(value: unknown): void {
  if (!isPlainObject(value)) throw new FormatError('must be an object mapping symbols like "BTC/USDT" to start prices');
  for (const [symbol, price] of Object.entries(value)) {
    if (!SYMBOL.test(symbol)) throw new FormatError(`has ${JSON.stringify(symbol)}, which is not a symbol like "BTC/USDT"`);
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
      throw new FormatError(`must give ${symbol} a positive start price`);
    }
  }
}

function validateWeightMap(value: unknown): void {
  if (!isPlainObject(value)) throw new FormatError('must be an object mapping strategy names to weights, like {"rsi-mean-reversion": 2}');
  for (const [name, weight] of Object.entries(value)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) throw new FormatError(`must give ${name} a positive weight`);
  }
}

/** A JSON value from the environment or a flag; `reason` says what the text should have been. */
function jsonFromString(reason: string): (raw: string) => unknown {
  return (raw) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new FormatError(reason);
    }
  };
}

/** A check that returns its problem as a sentence (exit-levels.ts), as a format. */
function fromProblem(problem: (value: unknown) => string | undefined): (value: unknown) => void {
  return (value) => {
    const found = problem(value);
    if (found !== undefined) throw new FormatError(found);
  };
}

/**
 * A JSON-object setting's own check (portfolio/profit-share.ts, portfolio/rebalance-settings.ts), its
 * mistakes named below `key` (portfolio.profitShare.tiers[1].upToPct).
 */
function nestedCheck(check: (value: unknown) => void, key: string): (value: unknown) => void {
  return (value) => {
    try {
      check(value);
    } catch (err) {
      if (!(err instanceof ProfitShareScheduleError || err instanceof RebalanceSettingsError)) throw err;
      throw err.path === '' ? new FormatError(err.message) : new FormatError(err.message, `${key}${err.path}`, err.value);
    }
  };
}

/** alerts.rules: its mistakes named below the key (alerts.rules.drawdown.pct). */
function validateAlertRules(value: unknown): void {
  const problem = alertRulesProblem(value);
  if (problem === undefined) return;
  throw problem.path === '' ? new FormatError(problem.reason) : new FormatError(problem.reason, `alerts.rules${problem.path}`, problem.value);
}

export const BOT_FORMATS: Readonly<Record<BotFormatName, BotFormat>> = {
  'bot-integer': {
    validate(value, bounds) {
      if (typeof value !== 'number' || !Number.isInteger(value) || !inRange(value, bounds)) {
        throw new FormatError(rangeText('an integer', bounds));
      }
    },
    fromString: numberFromString,
  },
  'bot-number': {
    validate(value, bounds) {
      if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(value, bounds)) {
        throw new FormatError(rangeText('a number', bounds));
      }
    },
    fromString: numberFromString,
  },
  'bot-boolean': {
    validate(value) {
      if (typeof value !== 'boolean') throw new FormatError('must be true or false');
    },
    fromString(raw) {
      const text = raw.trim().toLowerCase();
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return raw;
    },
  },
  'bot-string': {
    validate(value) {
      if (typeof value !== 'string') throw new FormatError('must be a string');
    },
    fromString: identity,
  },
  'bot-non-empty-string': {
    validate(value) {
      if (typeof value !== 'string' || value.trim() === '') throw new FormatError('must be a non-empty string');
    },
    fromString: identity,
  },
  'bot-one-of': {
    validate(value, bounds) {
      const values = bounds.values ?? [];
      if (typeof value !== 'string' || !values.includes(value)) throw new FormatError(`must be one of ${quoteList(values)}`);
    },
    fromString: identity,
  },
  'bot-strategy-params': {
    validate: validateStrategyParams,
    fromString: strategyParamsFromString,
  },
  'bot-symbol-list': {
    validate: (value) => validateList(value, SYMBOL, 'symbols like "BTC/USDT"'),
    fromString: listFromString,
  },
  'bot-name-list': {
    validate: (value) => validateList(value, NAME, 'names in lower case, digits and dashes', true),
    fromString: listFromString,
  },
  'bot-agent-counts': {
    validate: (value) => validateList(value, AGENT_COUNT, 'agent names, each maybe with a count (analysis:2)', true),
    fromString: listFromString,
  },
  'bot-speed': {
    validate(value) {
      const ok = value === 'realtime' || (typeof value === 'number' && Number.isFinite(value) && value > 0);
      if (!ok) throw new FormatError('must be a number of candles per second greater than 0, or "realtime"');
    },
    fromString: numberFromString,
  },
  'bot-stake': {
    validate(value) {
      if (typeof value !== 'string') throw new FormatError('must be all, a quote amount like "100", or a percentage like "10%"');
      try {
        parseStake(value);
      } catch {
        throw new FormatError('must be all, a quote amount like "100", or a percentage like "10%"');
      }
    },
    fromString: identity,
  },
  'bot-weight-map': {
    validate: validateWeightMap,
    fromString: jsonFromString('must be a JSON object mapping strategy names to weights'),
  },
  'bot-price-map': {
    validate: validatePriceMap,
    fromString: jsonFromString('must be a JSON object mapping symbols to start prices'),
  },
  'bot-profit-share': {
    validate: nestedCheck(checkProfitShareSchedule, 'portfolio.profitShare'),
    fromString: jsonFromString('must be null or a JSON object like {"period": "month", "tiers": [{"sharePct": 20}]}'),
  },
  'bot-rebalance': {
    validate: nestedCheck(checkRebalanceSettings, 'portfolio.rebalance'),
    fromString: jsonFromString('must be null or a JSON object like {"targets": {"BTC": 50, "USDT": 50}, "thresholdPct": 5}'),
  },
  'bot-take-profit-tiers': {
    validate: fromProblem(ladderProblem),
    fromString: jsonFromString('must be a JSON list of tiers like [{"atPct": 2, "sellPct": 30}], and this text is not valid JSON'),
  },
  'bot-roi-table': {
    validate: fromProblem(roiProblem),
    fromString: jsonFromString('must be a JSON object of minutes to percent like {"0": 4, "30": 2}, and this text is not valid JSON'),
  },
  'bot-allocations': {
    validate: fromProblem(allocationsProblem),
    fromString: jsonFromString('must be a JSON object of strategy names to percents like {"sma-cross": 60}, and this text is not valid JSON'),
  },
  'bot-alert-rules': {
    validate: validateAlertRules,
    fromString: jsonFromString('must be a JSON object of rule names to settings like {"drawdown": {"pct": 15}}, and this text is not valid JSON'),
  },
};
