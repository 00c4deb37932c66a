import { RSI } from 'trading-signals';
import { REGIMES } from '../../../src/market/regime';
import { SimulatedMarket } from '../../../src/market/simulated-market';

/** Close prices per symbol over `count` periods, plus the regime of the first symbol after each period. */
function run(seed: number, count: number, symbols = ['BTC/USDT', 'ETH/USDT'], timeframe = '1m') {
  const source = new SimulatedMarket({ seed, symbols, timeframe, startTime: 0, ticksPerCandle: 12 });
  const closes = symbols.map((): number[] => []);
  const regimes: string[] = [];
  for (let i = 0; i < count; i++) {
    for (const e of source.next()) if (e.kind === 'candle') closes[symbols.indexOf(e.candle.symbol)]!.push(e.candle.close);
    regimes.push(source.regimeOf(symbols[0]!));
  }
  return { closes, regimes };
}

function logReturns(closes: number[]): number[] {
  return closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('simulated price paths', () => {
  it.each([1, 7, 42])('switch between all four regimes now and then (seed %d)', (seed) => {
    const { regimes } = run(seed, 10_000, ['BTC/USDT']);
    const switches = regimes.filter((r, i) => i > 0 && r !== regimes[i - 1]).length;
    expect(new Set(regimes)).toEqual(new Set(REGIMES));
    // Regimes last 50-400 candles on average, so 10 000 candles see dozens of switches, not hundreds.
    expect(switches).toBeGreaterThanOrEqual(15);
    expect(switches).toBeLessThanOrEqual(150);
  });

  it.each([1, 7, 42])('have calm and turbulent stretches (seed %d)', (seed) => {
    const returns = logReturns(run(seed, 6000, ['BTC/USDT']).closes[0]!);
    // Median absolute return per 100 candles: insensitive to the odd jump, so it measures the regime.
    const windows: number[] = [];
    for (let i = 0; i + 100 <= returns.length; i += 100) windows.push(median(returns.slice(i, i + 100).map(Math.abs)));
    expect(Math.max(...windows) / Math.min(...windows)).toBeGreaterThan(2);
  });

  it('jump by several percent in about one candle in 500', () => {
    const { closes } = run(3, 20_000);
    const returns = closes.flatMap(logReturns);
    // A 1m candle's calm volatility is under 0.1 %, so a 2.5 % move is a jump, not noise.
    const jumps = returns.filter((r) => Math.abs(r) > Math.log(1.025));
    expect(jumps.length).toBeGreaterThanOrEqual(20);
    expect(jumps.length).toBeLessThanOrEqual(200);
    expect(jumps.some((r) => r > 0) && jumps.some((r) => r < 0)).toBe(true);
    expect(Math.max(...returns.map(Math.abs))).toBeLessThan(Math.log(1.1));
  });

  it.each([1, 7, 42, 2024])('drive RSI(14) below 30 and above 70 several times in 3000 1m candles (seed %d)', (seed) => {
    for (const closes of run(seed, 3000).closes) {
      const rsi = new RSI(14);
      let zone: 'low' | 'mid' | 'high' = 'mid';
      let entriesLow = 0;
      let entriesHigh = 0;
      for (const close of closes) {
        rsi.add(close);
        if (!rsi.isStable) continue;
        const value = Number(rsi.getResult());
        const now = value < 30 ? 'low' : value > 70 ? 'high' : 'mid';
        if (now === 'low' && zone !== 'low') entriesLow += 1;
        if (now === 'high' && zone !== 'high') entriesHigh += 1;
        zone = now;
      }
      expect(entriesLow).toBeGreaterThanOrEqual(3);
      expect(entriesHigh).toBeGreaterThanOrEqual(3);
    }
  });

  it('moves symbols together, loosely', () => {
    const [btc, eth] = run(11, 5000, ['BTC/USDT', 'ETH/USDT'], '1h').closes.map(logReturns);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const mb = mean(btc!);
    const me = mean(eth!);
    let cov = 0;
    let vb = 0;
    let ve = 0;
    btc!.forEach((b, i) => {
      const e = eth![i]!;
      cov += (b - mb) * (e - me);
      vb += (b - mb) ** 2;
      ve += (e - me) ** 2;
    });
    const correlation = cov / Math.sqrt(vb * ve);
    expect(correlation).toBeGreaterThan(0.15);
    expect(correlation).toBeLessThan(0.6);
  });

  it('stays within a sane band of its start price over a long run on daily candles', () => {
    const closes = run(99, 50_000, ['BTC/USDT'], '1d').closes[0]!;
    expect(Math.min(...closes)).toBeGreaterThan(60_000 / 1000);
    expect(Math.max(...closes)).toBeLessThan(60_000 * 1000);
  });
});
