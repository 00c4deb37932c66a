import type { Rng } from '../market/rng';
import type { Candle } from '../market/types';

type Prices = Pick<Candle, 'open' | 'high' | 'low' | 'close' | 'volume'>;

/**
 * Gives the candles after `cut` another future, in place, and returns what puts the old one back. In place
 * because a strategy that cheats does so through a reference it kept (to the array, or to its candles): a
 * copy would change nothing it can see. Candle objects are changed where they can be, array slots where the
 * candles are frozen.
 *
 * The new future mirrors the old one about the cut's close, so the candle right after the cut moves the
 * other way (a strategy that peeks at it always sees the opposite), then wanders off the mirror image by a
 * seeded random walk in steps of `step` (typicalMove() of the series). A candle closing at the cut's close,
 * which its mirror image would leave as it is, is moved up or down by a step instead.
 */
export function alterFuture(candles: Candle[], cut: number, rng: Rng, step: number): () => void {
  const pivot = candles[cut]?.close;
  if (pivot === undefined) return () => undefined;
  const restores: Array<() => void> = [];
  let walk = 0;
  for (let j = cut + 1; j < candles.length; j++) {
    const candle = candles[j]!;
    if (j > cut + 1) walk += step * rng.normal();
    const unmoved = candle.close === pivot ? (rng.next() < 0.5 ? -step : step) : 0;
    const factor = Math.exp(walk + unmoved);
    const mirror = (price: number): number => ((pivot * pivot) / price) * factor;
    // Mirroring swaps the extremes: the old low becomes the new high.
    const altered: Prices = {
      open: mirror(candle.open),
      high: mirror(candle.low),
      low: mirror(candle.high),
      close: mirror(candle.close),
      volume: candle.volume * Math.exp(0.5 * rng.normal()),
    };
    if (!Object.isFrozen(candle)) {
      const saved: Prices = { open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume };
      Object.assign(candle, altered);
      restores.push(() => Object.assign(candle, saved));
    } else if (!Object.isFrozen(candles)) {
      candles[j] = { ...candle, ...altered };
      restores.push(() => {
        candles[j] = candle;
      });
    }
  }
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}

/** The median size of a close-to-close move, in log terms; 1 % for a series that never moves. */
export function typicalMove(candles: readonly Candle[]): number {
  const moves: number[] = [];
  for (let i = 1; i < candles.length; i++) moves.push(Math.abs(Math.log(candles[i]!.close / candles[i - 1]!.close)));
  moves.sort((a, b) => a - b);
  const median = moves[Math.floor(moves.length / 2)] ?? 0;
  return median > 0 ? median : 0.01;
}
