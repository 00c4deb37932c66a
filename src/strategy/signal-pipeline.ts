import type { CombineRule } from '../config/schema';
import type { Fill } from '../execution/types';
import type { Candle } from '../market/types';
import type { PositionView } from '../portfolio/types';
import { combineVotes, type Vote } from './combine-signals';
import { copyLevels, strategyLevels } from './entry-levels';
import type { RejectionReason, Signal, SignalAction } from './signal';
import type { StrategyResult, StrategyRunner } from './strategy-runner';

export interface PipelineSettings {
  combine: CombineRule;
  threshold: number;
  weights: Readonly<Record<string, number>>;
  /** Candles after an exit during which the symbol takes no entry; 0: none. */
  cooldownCandles: number;
  /** One candle period, in ms. */
  periodMs: number;
}

/** What the pipeline decides, for its owner to publish. */
export interface PipelineOutput {
  signal(signal: Signal): void;
  rejected(candle: Candle, strategy: string, action: SignalAction, reason: RejectionReason, detail: string): void;
  /** The strategy broke (its runner is disabled from now on). */
  failed(strategy: string, error: string): void;
}

/**
 * From closed candles to signals: every running strategy votes on the candle, then, per symbol and candle,
 * the cooldown after an exit, the combining rule (combine-signals.ts) and the order of precedence of the
 * entry's levels (entry-levels.ts) make at most one signal. Every vote not sent on is rejected with its
 * reason (warm-up, cooldown, aggregation), so a user can see why a strategy's signal did not trade.
 */
export class SignalPipeline {
  private runners: StrategyRunner[] = [];
  /** Per symbol, the candle time before which entries are in cooldown after an exit. */
  private readonly cooldownUntil = new Map<string, number>();

  constructor(
    private readonly settings: PipelineSettings,
    private readonly out: PipelineOutput,
  ) {}

  /** The strategies that vote from now on. */
  use(runners: readonly StrategyRunner[]): void {
    this.runners = [...runners];
  }

  /** Swaps one strategy's runner for a new one (a hot reload); false when no strategy of that name runs. */
  replace(runner: StrategyRunner): boolean {
    const at = this.runners.findIndex((r) => r.name === runner.name);
    if (at < 0) return false;
    this.runners[at] = runner;
    return true;
  }

  get strategies(): readonly StrategyRunner[] {
    return this.runners;
  }

  /** Drops what every strategy holds for `symbol` (an analysis shard gave it up, or takes it over afresh). */
  forget(symbol: string): void {
    for (const runner of this.runners) runner.forget(symbol);
    this.cooldownUntil.delete(symbol);
  }

  /** Feeds a past candle to `runners` (warm-up): their indicators move on, their answers are dropped. */
  warmUp(candle: Candle, runners: readonly StrategyRunner[] = this.runners, report = true): void {
    for (const runner of runners) {
      const result = runner.onCandle(candle, undefined);
      if (report) this.reportFailure(runner, result);
    }
  }

  onCandle(candle: Candle, position: PositionView | undefined): void {
    let votes: Vote[] | undefined;
    for (const runner of this.runners) {
      const result = runner.onCandle(candle, position);
      if (result.kind === 'signal') {
        (votes ??= []).push(voteOf(result, runner.name));
      } else if (result.kind === 'warming-up') {
        this.out.rejected(candle, runner.name, result.action, 'warm-up', `${runner.name} is still warming up (${runner.warmup} candles)`);
      } else this.reportFailure(runner, result);
    }
    // Most candles carry no signal at all: nothing to combine.
    if (votes) this.decide(candle, votes, position !== undefined);
  }

  /** The books took a fill of `origin`'s order: an exit starts the cooldown, and the strategy hears of its fill. */
  positionChanged(fill: Fill, origin: string, position: PositionView | undefined): void {
    const { cooldownCandles, periodMs } = this.settings;
    if (fill.side === 'sell' && position === undefined && cooldownCandles > 0) this.cooldownUntil.set(fill.symbol, fill.time + cooldownCandles * periodMs);
    const runner = this.named(origin);
    if (runner) this.reportFailure(runner, runner.onFill(fill, undefined, position));
  }

  private decide(candle: Candle, votes: Vote[], inPosition: boolean): void {
    const { combine, threshold, weights, cooldownCandles } = this.settings;
    let eligible = votes;
    if (!inPosition && cooldownCandles > 0) {
      const until = this.cooldownUntil.get(candle.symbol);
      if (until !== undefined && candle.time < until) {
        for (const v of votes) {
          if (v.action === 'enter') this.out.rejected(candle, v.strategy, v.action, 'cooldown', `${candle.symbol} was exited less than ${cooldownCandles} candles ago`);
        }
        eligible = votes.filter((x) => x.action !== 'enter');
      }
    }
    // Only majority and weighted count the voters: the usual 'any' does without the list.
    const voters = combine === 'any' ? NO_VOTERS : this.runners.filter((r) => !r.disabled).map((r) => r.name);
    const decision = combineVotes(eligible, inPosition, { rule: combine, threshold, weights, voters });
    for (const { vote, why } of decision.rejected) this.out.rejected(candle, vote.strategy, vote.action, 'aggregation', why);
    if (decision.signal) this.send(candle, decision.signal);
  }

  private send(candle: Candle, vote: Vote): void {
    const signal: Signal = {
      symbol: candle.symbol,
      action: vote.action,
      strength: vote.strength,
      reason: vote.reason,
      strategy: vote.strategy,
      candleTime: candle.time,
      price: candle.close,
    };
    // Assigned, not spread in: this runs on every signal of a backtest.
    if (vote.action === 'enter') {
      copyLevels(strategyLevels(vote, this.named(vote.strategy)?.protection), signal);
    }
    if (vote.size !== undefined) signal.size = vote.size;
    if (vote.fraction !== undefined) signal.fraction = vote.fraction;
    this.out.signal(signal);
  }

  private named(name: string): StrategyRunner | undefined {
    for (const runner of this.runners) if (runner.name === name) return runner;
    return undefined;
  }

  private reportFailure(runner: StrategyRunner, result: StrategyResult): void {
    if (result.kind === 'failed') this.out.failed(runner.name, result.error);
  }
}

const NO_VOTERS: readonly string[] = Object.freeze([]);

function voteOf(result: Extract<StrategyResult, { kind: 'signal' }>, strategy: string): Vote {
  const vote: Vote = { strategy, action: result.action, strength: result.strength, reason: result.reason };
  copyLevels(result, vote);
  if (result.size !== undefined) vote.size = result.size;
  if (result.fraction !== undefined) vote.fraction = result.fraction;
  return vote;
}
