import type { ConfigChanged } from '../config/diff-config';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import type { FileWatcher } from '../config/watch-file';
import { ControlRefused, errorMessage } from '../core/errors';
import { timeframeMs } from '../market/timeframe';
import type { PositionView } from '../portfolio/types';
import { strategyFile } from '../strategy/load-strategy';
import { reloadStrategy } from '../strategy/reload-strategy';
import { resolveParams } from '../strategy/resolve-params';
import { SignalPipeline, type PipelineOutput } from '../strategy/signal-pipeline';
import { StrategyRunner } from '../strategy/strategy-runner';
import type { StrategyDefinition } from '../strategy/types';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

export interface AnalysisAgentOptions {
  /** Loaded and checked by the composition root, so a bad strategy name stops the bot before it starts. */
  strategies: readonly StrategyDefinition[];
  /** Hot reload: strategy files in this directory are watched (when `config.watch` is on) and reloaded on change. */
  reload?: { watch: FileWatcher; strategiesDir: string };
  /** Where an operator's reload (`analysis.reload`) reads the strategy files; the watch's directory when absent. */
  strategiesDir?: string;
  /**
   * Analysis sharded over processes by symbol (cluster/analysis-shard.ts): this agent decides only on the
   * symbols it owns, and warms a symbol it takes over up on the DataAgent's history first.
   */
  shard?: ShardView;
}

export interface ShardView {
  owns(symbol: string): boolean;
  /** Told what this shard took over and gave up; returns the unsubscribe. */
  onChange(listener: (gained: readonly string[], lost: readonly string[]) => void): () => void;
}

/**
 * The strategies on the bus: feeds closed candles, at phase 2 of each period (PERIOD_PHASES), to the signal
 * pipeline (strategy/), which publishes its decisions as `signal.emitted` and what it did not send on as
 * `signal.rejected`; warms the strategies up on the DataAgent's history; reloads a changed strategy file. A
 * strategy that throws is reported and disabled; the others go on.
 */
export class AnalysisAgent extends ConfiguredAgent {
  private pipeline: SignalPipeline | undefined;
  /** The open positions of the last portfolio update: a handful at most, so a scan beats keeping a map. */
  private positions: readonly PositionView[] = [];
  /**
   * Symbols this shard took over whose history is on its way: their closes are skipped until it is in, so
   * a strategy never sees a new candle before the older ones.
   */
  private readonly warming = new Set<string>();
  /** The definitions running now: a reload replaces one. */
  private definitions: StrategyDefinition[] = [];

  constructor(
    context: AgentContext,
    private readonly options: AnalysisAgentOptions,
  ) {
    super({ name: 'analysis', dependsOn: ['config', 'data', 'portfolio', 'trade'], publishes: TOPIC_OWNERS.analysis }, context);
  }

  protected override async onConfigured(): Promise<void> {
    const { analysis, market } = this.config;
    this.definitions = [...this.options.strategies];
    for (const d of this.definitions) {
      if (d.timeframe !== undefined && d.timeframe !== market.timeframe) {
        this.log.warn(`strategy ${d.name} was designed for ${d.timeframe} candles and runs on ${market.timeframe}: its periods now span other lengths of time`);
      }
    }
    const { combine, threshold, weights, cooldownCandles } = analysis;
    const pipeline = new SignalPipeline({ combine, threshold, weights, cooldownCandles, periodMs: timeframeMs(market.timeframe) }, this.output());
    pipeline.use(this.definitions.map((d) => this.runnerFor(d)));
    this.pipeline = pipeline;
    this.watchStrategyFiles();
    this.handle('analysis.reload', ({ payload }) => this.reloadAll(payload.by));
    // A resumed run may start with positions open: the strategies must see them from the first candle.
    this.positions = (await this.request('portfolio.snapshot', {})).positions;
    await this.warmUp(pipeline.strategies);
    this.subscribe('portfolio.updated', ({ payload }) => {
      this.positions = payload.positions;
    });
    const { shard } = this.options;
    if (shard) this.onRelease(shard.onChange((gained, lost) => void this.reshard(gained, lost)));
    this.subscribe('market.closes', ({ payload }) => {
      const { candles } = payload;
      for (let i = 0; i < candles.length; i++) {
        if (shard !== undefined && (!shard.owns(candles[i]!.symbol) || this.warming.has(candles[i]!.symbol))) continue;
        pipeline.onCandle(candles[i]!, this.positionIn(candles[i]!.symbol));
      }
    });
    this.subscribe('position.changed', ({ payload }) => pipeline.positionChanged(payload.fill, payload.origin, payload.position));
  }

  protected override onConfigChanged(change: ConfigChanged): void {
    const pipeline = this.pipeline;
    if (!pipeline || !change.applied.some((c) => c.key === 'strategy.params')) return;
    let runners: StrategyRunner[];
    try {
      runners = this.definitions.map((d) => this.runnerFor(d));
    } catch (err) {
      this.log.error(`new strategy parameters refused, the strategies keep their old ones: ${errorMessage(err)}`);
      return;
    }
    pipeline.use(runners);
    this.warmUp(runners).then(
      () => this.log.info('strategy parameters changed: strategies restarted and warmed up on the candle history'),
      (err: unknown) => this.log.warn(`strategies restarted, but their warm-up on the history failed (${errorMessage(err)}); they warm up on new candles`),
    );
  }

  private output(): PipelineOutput {
    return {
      signal: (signal) => this.publish('signal.emitted', signal),
      rejected: (candle, strategy, action, reason, detail) => {
        this.publish('signal.rejected', { symbol: candle.symbol, strategy, action, reason, detail, candleTime: candle.time });
        if (this.log.isEnabled('info')) this.log.info(`signal of ${strategy} (${action} ${candle.symbol}) rejected [${reason}]: ${detail}`);
      },
      failed: (strategy, error) => {
        this.log.error(`strategy ${strategy} is disabled: ${error}`);
        this.publish('strategy.disabled', { strategy, error });
      },
    };
  }

  /**
   * Feeds the DataAgent's history (live data fetches recent candles at start) through `runners`, so they
   * trade from the first live candle instead of after `warmup` of them. `report`: false for a reload's
   * candidate, whose failure is the reload's, not a running strategy's.
   */
  private async warmUp(runners: readonly StrategyRunner[], report = true): Promise<number> {
    const { symbols, timeframe } = this.config.market;
    let fed = 0;
    for (const symbol of symbols) {
      const candles = await this.request('market.history', { symbol, timeframe });
      for (const candle of candles) this.pipeline?.warmUp(candle, runners, report);
      fed += candles.length;
    }
    if (fed > 0 && report) this.log.info(`strategies warmed up on ${fed} candles of history`);
    return fed;
  }

  /**
   * The shard's symbols changed (a process joined or died): what it gave up is forgotten, and what it took
   * over starts afresh, warmed up on the history, so it decides from the next candle.
   */
  private async reshard(gained: readonly string[], lost: readonly string[]): Promise<void> {
    const pipeline = this.pipeline;
    if (!pipeline || this.currentState !== 'running') return;
    for (const symbol of [...lost, ...gained]) pipeline.forget(symbol);
    for (const symbol of lost) this.warming.delete(symbol);
    for (const symbol of gained) this.warming.add(symbol);
    const { timeframe } = this.config.market;
    let fed = 0;
    for (const symbol of gained) {
      try {
        const candles = await this.request('market.history', { symbol, timeframe });
        // Given up again while the history was on its way: nothing to warm.
        if (!this.warming.has(symbol)) continue;
        for (const candle of candles) pipeline.warmUp(candle);
        fed += candles.length;
      } catch (err) {
        // Stopping meanwhile (the run ended, and the others left with it): there is nothing to take over.
        if (this.currentState === 'running') this.log.warn(`took over ${symbol} but could not warm its strategies up (${errorMessage(err)}); they warm up on new candles`);
      } finally {
        this.warming.delete(symbol);
      }
    }
    if (this.currentState !== 'running') return;
    if (gained.length > 0) this.log.info(`analysis shard took over ${gained.join(', ')}, warmed up on ${fed} candles of history`);
    if (lost.length > 0) this.log.info(`analysis shard handed ${lost.join(', ')} over to another process`);
  }

  private runnerFor(definition: StrategyDefinition): StrategyRunner {
    return new StrategyRunner(definition, resolveParams(definition, this.config.strategy.params[definition.name]));
  }

  private watchStrategyFiles(): void {
    const { reload } = this.options;
    if (!reload || !this.config.config.watch) return;
    for (const definition of this.definitions) {
      // Handed over in code (the test kit), not a file: nothing to watch.
      if (!isFileStrategy(definition.name, reload.strategiesDir)) continue;
      const file = strategyFile(definition.name, reload.strategiesDir);
      this.onRelease(reload.watch(file, () => void this.reload(definition.name, reload.strategiesDir)));
    }
  }

  /** Hot reload (reload-strategy.ts): open positions are the portfolio's and stay as they are. Answers whether it took. */
  private async reload(name: string, strategiesDir: string): Promise<boolean> {
    const at = this.definitions.findIndex((d) => d.name === name);
    if (at < 0 || this.currentState !== 'running') return false;
    try {
      const reloaded = await reloadStrategy(name, strategiesDir, (d) => this.runnerFor(d), (runner) => this.warmUp([runner], false));
      this.definitions[at] = reloaded.definition;
      this.pipeline?.replace(reloaded.runner);
      this.log.info(`strategy ${name} reloaded and warmed up on ${reloaded.candles} candles of history; open positions are kept`);
      return true;
    } catch (err) {
      this.log.error(`strategy ${name} was changed but not reloaded, the previous version keeps running: ${errorMessage(err)}`);
      return false;
    }
  }

  /** An operator's reload: every strategy that comes from a file, each as a changed file would be. */
  private async reloadAll(by: string): Promise<{ detail: string }> {
    const dir = this.options.strategiesDir ?? this.options.reload?.strategiesDir;
    const fromFiles = dir === undefined ? [] : this.definitions.filter((d) => isFileStrategy(d.name, dir)).map((d) => d.name);
    if (dir === undefined || fromFiles.length === 0) throw new ControlRefused('no strategy of this run comes from a file in strategies/, so there is nothing to reload');
    const kept: string[] = [];
    for (const name of fromFiles) if (!(await this.reload(name, dir))) kept.push(name);
    const done = fromFiles.filter((n) => !kept.includes(n));
    const detail = `strategies reloaded: ${done.join(', ') || 'none'}${kept.length > 0 ? `; kept the running version of ${kept.join(', ')} (see the log)` : ''}`;
    this.log.info(`operator (${by}): ${detail}`);
    this.publish('control.applied', { action: 'reload-strategies', detail, by });
    return { detail };
  }

  /** A loop rather than find(): this runs per candle, and a closure per call is garbage per candle. */
  private positionIn(symbol: string): PositionView | undefined {
    for (const position of this.positions) if (position.symbol === symbol) return position;
    return undefined;
  }
}

function isFileStrategy(name: string, strategiesDir: string): boolean {
  try {
    strategyFile(name, strategiesDir);
    return true;
  } catch {
    return false;
  }
}
