import { SimulatedMarket } from '../src/market/simulated-market';
import { median, nsPerOperation } from './stats';

const PERIODS = 1_000_000;
const ROUNDS = 5;

/** How fast the simulated market generates candle periods (one symbol), with one and with twelve ticks each. */
export function runMarketBench(): Array<{ ticksPerCandle: number; periods: number; rounds: number; candlesPerSecond: number }> {
  return [1, 12].map((ticksPerCandle) => {
    const periods = ticksPerCandle === 1 ? PERIODS : PERIODS / 10;
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const market = new SimulatedMarket({ seed: 7 + round, symbols: ['BTC/USDT'], timeframe: '1m', startTime: 0, ticksPerCandle });
      let events = 0;
      samples.push(
        nsPerOperation(periods, () => {
          for (let i = 0; i < periods; i++) events += market.next().length;
        }),
      );
      if (events !== periods * (ticksPerCandle + 1)) throw new Error(`expected ${periods * (ticksPerCandle + 1)} events, got ${events}`);
    }
    return { ticksPerCandle, periods, rounds: ROUNDS, candlesPerSecond: Math.round(1e9 / median(samples)) };
  });
}
