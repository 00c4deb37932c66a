import type { ConfigChanged } from '../bus/topics';
import { errorMessage } from '../core/errors';
import type { Candle } from '../market/types';
import type { PositionView } from '../portfolio/types';
import { resolveParams } from '../strategy/resolve-params';
import { StrategyRunner, type StrategyResult } from '../strategy/strategy-runner';
import type { StrategyDefinition } from '../strategy/types';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

export interface AnalysisAgentOptions {
  /** Loaded and checked by the composition root, so a bad strategy name stops the bot before it starts. */
  strategies: readonly StrategyDefinition[];
}

/**
 * Runs the strategies on closed candles and publishes their decisions as `signal`. A strategy that throws
 * is reported and disabled; the others go on.
 */
export class AnalysisAgent extends ConfiguredAgent {
  private runners: StrategyRunner[] = [];
  /** The open positions of the last portfolio update: a handful at most, so a scan beats keeping a map. */
  private positions: readonly PositionView[] = [];

  constructor(
    context: AgentContext,
    private readonly options: AnalysisAgentOptions,
  ) {
    super({ name: 'analysis', dependsOn: ['config', 'data'], publishes: ['signal', 'strategy.disabled'] }, context);
  }

  protected override async onConfigured(): Promise<void> {
    this.runners = this.buildRunners();
    this.positions = [];
    await this.warmUp(this.runners);
    this.subscribe('portfolio.updated', ({ payload }) => {
      this.positions = payload.positions;
    });
    this.subscribe('market.candle', ({ payload }) => this.onCandle(payload));
    this.subscribe('order.filled', ({ payload }) => {
      const runner = this.runners.find((r) => r.name === payload.order.origin);
      if (!runner) return;
      const { fill } = payload;
      const position = this.positions.find((p) => p.symbol === fill.symbol);
      const { symbol, side, qty, price, fee, time, reason } = fill;
      this.report(runner, runner.onFill({ symbol, side, qty, price, fee, time, reason }, undefined, position));
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
  private async warmUp(runners: readonly StrategyRunner[]): Promise<void> {
    const { symbols, timeframe } = this.config.market;
    let fed = 0;
    for (const symbol of symbols) {
      const candles = await this.request('market.history', { symbol, timeframe });
      for (const candle of candles) {
        for (const runner of runners) this.report(runner, runner.onCandle(candle, undefined));
      }
      fed += candles.length;
    }
    if (fed > 0) this.log.info(`strategies warmed up on ${fed} candles of history`);
  }

  private report(runner: StrategyRunner, result: StrategyResult): void {
    if (result.kind !== 'failed') return;
    this.log.error(`strategy ${runner.name} is disabled: ${result.error}`);
    this.publish('strategy.disabled', { strategy: runner.name, error: result.error });
  }

  private buildRunners(): StrategyRunner[] {
    return this.options.strategies.map(
      (definition) => new StrategyRunner(definition, resolveParams(definition, this.config.strategy.params[definition.name])),
    );
  }

  private onCandle(candle: Candle): void {
    const position = this.positions.find((p) => p.symbol === candle.symbol);
    for (const runner of this.runners) {
      const result = runner.onCandle(candle, position);
      if (result.kind === 'signal') {
        const { stopLossPct, takeProfitPct, size, fraction } = result;
        this.publish('signal', {
          symbol: candle.symbol,
          action: result.action,
          strength: result.strength,
          reason: result.reason,
          strategy: runner.name,
          candleTime: candle.time,
          price: candle.close,
          // The entry's own levels win over the strategy's, which win over the bot's.
          ...(result.action === 'enter' ? runner.protection : undefined),
          ...(stopLossPct !== undefined && { stopLossPct }),
          ...(takeProfitPct !== undefined && { takeProfitPct }),
          ...(size !== undefined && { size }),
          ...(fraction !== undefined && { fraction }),
        });
      } else this.report(runner, result);
    }
  }
}
