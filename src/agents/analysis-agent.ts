import type { ConfigChanged, Signal, SignalRejected } from '../bus/topics';
import { errorMessage } from '../core/errors';
import { timeframeMs } from '../market/timeframe';
import type { Candle } from '../market/types';
import type { PositionView } from '../portfolio/types';
import type { FileWatcher } from '../config/watch-file';
import { loadStrategy, strategyFile } from '../strategy/load-strategy';
import { resolveParams } from '../strategy/resolve-params';
import { combineVotes, type Vote } from '../strategy/combine-signals';
import { StrategyRunner, type StrategyResult } from '../strategy/strategy-runner';
import type { StrategyDefinition } from '../strategy/types';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

export interface AnalysisAgentOptions {
  /** Loaded and checked by the composition root, so a bad strategy name stops the bot before it starts. */
  strategies: readonly StrategyDefinition[];
  /** Hot reload: strategy files in this directory are watched (when `config.watch` is on) and reloaded on change. */
  reload?: { watch: FileWatcher; strategiesDir: string };
}

/**
 * Runs the strategies on closed candles and publishes their decisions as `signal`. A strategy that throws
 * is reported and disabled; the others go on.
 */
export class AnalysisAgent extends ConfiguredAgent {
  private runners: StrategyRunner[] = [];
  /** The open positions of the last portfolio update: a handful at most, so a scan beats keeping a map. */
  private positions: readonly PositionView[] = [];
  /** Per symbol, the candle time before which entries are in cooldown after an exit. */
  private readonly cooldownUntil = new Map<string, number>();
  /** The definitions running now: a reload replaces one. */
  private definitions: StrategyDefinition[] = [];

  constructor(
    context: AgentContext,
    private readonly options: AnalysisAgentOptions,
  ) {
    // After the trade agent: its signals need a trader, and on `market.candles` the trade agent, subscribed
    // first, fills a period's orders at the opens before the strategies decide at the closes.
    super({ name: 'analysis', dependsOn: ['config', 'data', 'trade'], publishes: ['signal', 'signal.rejected', 'strategy.disabled'] }, context);
  }

  protected override async onConfigured(): Promise<void> {
    this.definitions = [...this.options.strategies];
    const { timeframe } = this.config.market;
    for (const d of this.definitions) {
      if (d.timeframe !== undefined && d.timeframe !== timeframe) {
        this.log.warn(`strategy ${d.name} was designed for ${d.timeframe} candles and runs on ${timeframe}: its periods now span other lengths of time`);
      }
    }
    this.runners = this.buildRunners();
    this.watchStrategyFiles();
    this.positions = [];
    await this.warmUp(this.runners);
    this.subscribe('portfolio.updated', ({ payload }) => {
      this.positions = payload.positions;
    });
    this.subscribe('market.candles', ({ payload }) => {
      const { candles } = payload;
      for (let i = 0; i < candles.length; i++) this.onCandle(candles[i]!);
    });
    this.cooldownUntil.clear();
    this.subscribe('order.filled', ({ payload }) => {
      const { fill } = payload;
      const position = this.positionIn(fill.symbol);
      // The portfolio has booked the fill already (it subscribed first): no position left means an exit.
      const { cooldownCandles } = this.config.analysis;
      if (fill.side === 'sell' && position === undefined && cooldownCandles > 0) {
        this.cooldownUntil.set(fill.symbol, fill.time + cooldownCandles * timeframeMs(this.config.market.timeframe));
      }
      const runner = this.runnerNamed(payload.order.origin);
      if (!runner) return;
      this.report(runner, runner.onFill(fill, undefined, position));
    });
  }

  protected override onConfigChanged(change: ConfigChanged): void {
    if (!change.applied.some((c) => c.key === 'strategy.params')) return;
    let runners: StrategyRunner[];
    try {
      runners = this.buildRunners();
    } catch (err) {
      this.log.error(`new strategy parameters refused, the strategies keep their old ones: ${errorMessage(err)}`);
      return;
    }
    this.runners = runners;
    this.warmUp(runners).then(
      () => this.log.info('strategy parameters changed: strategies restarted and warmed up on the candle history'),
      (err: unknown) => this.log.warn(`strategies restarted, but their warm-up on the history failed (${errorMessage(err)}); they warm up on new candles`),
    );
  }

  /**
   * Feeds the DataAgent's history (live data fetches recent candles at start) through fresh strategies, so
   * they trade from the first live candle instead of after `warmup` of them. Their answers are dropped: they
   * are decisions about the past.
   */
  /** `report`: false for a reload's candidate, whose failure is the reload's, not a running strategy's. */
  private async warmUp(runners: readonly StrategyRunner[], report = true): Promise<number> {
    const { symbols, timeframe } = this.config.market;
    let fed = 0;
    for (const symbol of symbols) {
      const candles = await this.request('market.history', { symbol, timeframe });
      for (const candle of candles) {
        for (const runner of runners) {
          const result = runner.onCandle(candle, undefined);
          if (report) this.report(runner, result);
        }
      }
      fed += candles.length;
    }
    if (fed > 0 && runners.length === this.runners.length) this.log.info(`strategies warmed up on ${fed} candles of history`);
    return fed;
  }

  private report(runner: StrategyRunner, result: StrategyResult): void {
    if (result.kind !== 'failed') return;
    this.log.error(`strategy ${runner.name} is disabled: ${result.error}`);
    this.publish('strategy.disabled', { strategy: runner.name, error: result.error });
  }

  private buildRunners(): StrategyRunner[] {
    return this.definitions.map((definition) => this.runnerFor(definition));
  }

  private runnerFor(definition: StrategyDefinition): StrategyRunner {
    return new StrategyRunner(definition, resolveParams(definition, this.config.strategy.params[definition.name]));
  }

  private watchStrategyFiles(): void {
    const { reload } = this.options;
    if (!reload || !this.config.config.watch) return;
    for (const definition of this.definitions) {
      let file: string;
      try {
        file = strategyFile(definition.name, reload.strategiesDir);
      } catch {
        continue; // Handed over in code (the test kit), not a file: nothing to watch.
      }
      this.onRelease(reload.watch(file, () => void this.reloadStrategy(definition.name, reload.strategiesDir)));
    }
  }

  /**
   * Hot reload: the file's new version is loaded, checked, given the current parameters and warmed up on
   * the DataAgent's history before it replaces the running one, so it trades from its next candle with
   * ready indicators. Open positions are the portfolio's and stay as they are. Anything wrong (syntax, a
   * bad definition, a throw while warming up) is reported and the running version goes on.
   */
  private async reloadStrategy(name: string, strategiesDir: string): Promise<void> {
    const at = this.definitions.findIndex((d) => d.name === name);
    if (at < 0 || this.currentState !== 'running') return;
    let runner: StrategyRunner;
    try {
      const definition = loadStrategy(name, strategiesDir, { fresh: true });
      if (definition.name !== name) throw new Error(`the file now names the strategy "${definition.name}"; a strategy keeps its name`);
      runner = this.runnerFor(definition);
      const candles = await this.warmUp([runner], false);
      if (runner.disabled) throw new Error(runner.error ?? 'it broke while warming up');
      this.definitions[at] = definition;
      const old = this.runners.findIndex((r) => r.name === name);
      if (old >= 0) this.runners[old] = runner;
      this.log.info(`strategy ${name} reloaded and warmed up on ${candles} candles of history; open positions are kept`);
    } catch (err) {
      this.log.error(`strategy ${name} was changed but not reloaded, the previous version keeps running: ${errorMessage(err)}`);
    }
  }

  private onCandle(candle: Candle): void {
    const position = this.positionIn(candle.symbol);
    let votes: Vote[] | undefined;
    for (const runner of this.runners) {
      const result = runner.onCandle(candle, position);
      if (result.kind === 'signal') {
        (votes ??= []).push(voteOf(result, runner.name));
      } else if (result.kind === 'warming-up') {
        this.reject(candle, runner.name, result.action, 'warm-up', `${runner.name} is still warming up (${runner.warmup} candles)`);
      } else this.report(runner, result);
    }
    // Most candles carry no signal at all: nothing to combine.
    if (votes) this.decide(candle, votes, position !== undefined);
  }

  /** A loop rather than find(): this runs per candle, and a closure per call is garbage per candle. */
  private positionIn(symbol: string): PositionView | undefined {
    for (const position of this.positions) if (position.symbol === symbol) return position;
    return undefined;
  }

  private decide(candle: Candle, votes: Vote[], inPosition: boolean): void {
    const { combine, threshold, weights, cooldownCandles } = this.config.analysis;
    // The usual case of a backtest, on its hot path: one strategy, one vote, nothing to weigh.
    const only = votes.length === 1 && combine === 'any' && cooldownCandles === 0 ? votes[0] : undefined;
    if (only) {
      if (inPosition === (only.action === 'enter')) {
        this.reject(candle, only.strategy, only.action, 'aggregation', inPosition ? 'a position is open: exits decide' : 'no position is open: there is nothing to sell');
      } else this.send(candle, only);
      return;
    }
    let eligible = votes;
    if (!inPosition && cooldownCandles > 0) {
      const until = this.cooldownUntil.get(candle.symbol);
      if (until !== undefined && candle.time < until) {
        for (const v of votes.filter((x) => x.action === 'enter')) {
          this.reject(candle, v.strategy, v.action, 'cooldown', `${candle.symbol} was exited less than ${cooldownCandles} candles ago`);
        }
        eligible = votes.filter((x) => x.action !== 'enter');
      }
    }
    const voters = this.runners.filter((r) => !r.disabled).map((r) => r.name);
    const decision = combineVotes(eligible, inPosition, { rule: combine, threshold, weights, voters });
    for (const { vote, why } of decision.rejected) this.reject(candle, vote.strategy, vote.action, 'aggregation', why);
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
    // The entry's own levels win over the strategy's, which win over the bot's. Assigned, not spread in:
    // this runs on every signal of a backtest.
    const own = vote.action === 'enter' ? this.runnerNamed(vote.strategy)?.protection : undefined;
    const stopLossPct = vote.stopLossPct ?? own?.stopLossPct;
    const takeProfitPct = vote.takeProfitPct ?? own?.takeProfitPct;
    if (stopLossPct !== undefined) signal.stopLossPct = stopLossPct;
    if (takeProfitPct !== undefined) signal.takeProfitPct = takeProfitPct;
    if (vote.size !== undefined) signal.size = vote.size;
    if (vote.fraction !== undefined) signal.fraction = vote.fraction;
    this.publish('signal', signal);
  }

  private runnerNamed(name: string): StrategyRunner | undefined {
    for (const runner of this.runners) if (runner.name === name) return runner;
    return undefined;
  }

  private reject(candle: Candle, strategy: string, action: Vote['action'], reason: SignalRejected['reason'], detail: string): void {
    this.publish('signal.rejected', { symbol: candle.symbol, strategy, action, reason, detail, candleTime: candle.time });
    if (this.log.isEnabled('info')) this.log.info(`signal of ${strategy} (${action} ${candle.symbol}) rejected [${reason}]: ${detail}`);
  }
}

function voteOf(result: Extract<StrategyResult, { kind: 'signal' }>, strategy: string): Vote {
  const vote: Vote = { strategy, action: result.action, strength: result.strength, reason: result.reason };
  if (result.stopLossPct !== undefined) vote.stopLossPct = result.stopLossPct;
  if (result.takeProfitPct !== undefined) vote.takeProfitPct = result.takeProfitPct;
  if (result.size !== undefined) vote.size = result.size;
  if (result.fraction !== undefined) vote.fraction = result.fraction;
  return vote;
}
