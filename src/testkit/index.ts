/**
 * The strategy test kit: build candles, backtest a strategy over them with the real engine, assert on what it
 * did with Jest matchers, and check that it never reads candles it has not been shown yet.
 */
export { candlesFromCloses, candlesFromFile, candlesFromRows, crash, range, trend } from './candles';
export type { ClosesOptions, CrashOptions, OhlcvObject, OhlcvRow, OhlcvTuple, RangeOptions, SeriesLayout, SyntheticOptions, TrendOptions } from './candles';
export { runStrategy, type RunStrategyOptions } from './run-strategy';
export type { StrategyFailure, StrategyRun, StrategySignal } from './run-types';
export type { StrategyRef } from './strategy-source';
export { checkNoLookAhead, type LookAheadOptions, type LookAheadReport, type LookAheadViolation } from './look-ahead';
export { installMatchers, strategyMatchers, type CandleRef } from './matchers';
export { defineStrategy } from '../strategy/types';
export type { Candle } from '../market/types';
export type { Intent, StrategyContext, StrategyDefinition } from '../strategy/types';
