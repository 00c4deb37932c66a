import { loadCandleFile } from '../../src/market/candle-file';
import { SimulatedMarket } from '../../src/market/simulated-market';
import { timeframeMs } from '../../src/market/timeframe';
import type { Candle } from '../../src/market/types';

/** Open times in [from, to) for which the exchange has no candles at all: an outage, a halted market. */
export interface Outage {
  /** Only this symbol; every symbol when absent. */
  symbol?: string;
  from: number;
  to: number;
}

/**
 * The candles the fake exchange holds for one symbol at its base timeframe, ascending, outages left out.
 * Coarser intervals are aggregated from these. Generated candles are made on demand, up to the exchange's
 * "now", so a fake exchange can run for years of market time without making them all up front.
 */
export class CandleTrack {
  readonly periodMs: number;
  private readonly held: Candle[] = [];
  /** Open time of the last candle taken from the source, outage or not. */
  private cursor = -Infinity;
  private exhausted = false;
  private readonly outages: readonly Outage[];

  constructor(
    readonly symbol: string,
    readonly timeframe: string,
    private readonly source: () => Candle | undefined,
    outages: readonly Outage[],
  ) {
    this.periodMs = timeframeMs(timeframe);
    this.outages = outages.filter((o) => o.symbol === undefined || o.symbol === symbol);
  }

  /** Every candle with an open time up to `time` (and possibly a few after it), ascending. */
  upTo(time: number): readonly Candle[] {
    while (!this.exhausted && this.cursor < time) {
      const candle = this.source();
      if (candle === undefined) {
        this.exhausted = true;
        break;
      }
      this.cursor = candle.time;
      if (!this.outages.some((o) => candle.time >= o.from && candle.time < o.to)) this.held.push(candle);
    }
    return this.held;
  }

  /** Open time of the last candle the source holds; undefined for an endless (generated) source. */
  lastTime(): number | undefined {
    return this.exhausted ? this.held[this.held.length - 1]?.time : undefined;
  }
}

export interface GeneratedTrackOptions {
  symbol: string;
  timeframe: string;
  seed: number;
  /** Open time of the first candle. */
  start: number;
  startPrice?: number;
  outages: readonly Outage[];
}

/** An endless seeded random walk: the same options give the same candles, whatever is asked first. */
export function generatedTrack(options: GeneratedTrackOptions): CandleTrack {
  const { symbol, timeframe, seed, start, startPrice, outages } = options;
  const market = new SimulatedMarket({
    seed,
    symbols: [symbol],
    timeframe,
    startTime: start,
    ticksPerCandle: 4,
    ...(startPrice !== undefined ? { startPrices: { [symbol]: startPrice } } : {}),
  });
  const source = (): Candle | undefined => {
    for (const event of market.next()) if (event.kind === 'candle') return event.candle;
    return undefined;
  };
  return new CandleTrack(symbol, timeframe, source, outages);
}

/** The candles of a candle file (what `backtest --data` reads); the symbol comes from the file name unless given. */
export function fileTrack(file: string, outages: readonly Outage[], symbol?: string): CandleTrack {
  const series = loadCandleFile(file, symbol !== undefined ? { symbol } : {});
  let next = 0;
  return new CandleTrack(series.symbol, series.timeframe, () => (next < series.candles.length ? series.candles.at(next++) : undefined), outages);
}
