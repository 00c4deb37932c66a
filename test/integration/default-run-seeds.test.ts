/**
 * The run a newcomer starts first, `npx ts-node src/main.ts`, is config/default.json on the simulated market.
 * It has to show the bot working, not fees and slippage eating the stake, and not on one lucky seed only:
 * the defaults are played over 20 markets (seeds) through the whole app, as a paper run plays them.
 *
 * The checks allow for bad luck, since a trend follower loses on some markets; what they refuse is losing on
 * most, as fast strategies on 1-minute candles do, their costs (0.3 % a round trip) outweighing their gains.
 */
import { runPaper } from '../helpers/run-paper';

const SEEDS = 20;
// Five minutes of the default run: market.speed plays 10 candles a second.
const CANDLES = 3000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

describe('the default paper run over 20 simulated markets', () => {
  it('trades, and does not lose to fees on most markets', async () => {
    const runs = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      // Nothing but the length is set: every other setting is config/default.json's.
      const run = await runPaper({ seed, env: { BOT_RUN_CANDLES: String(CANDLES) } });
      runs.push({ seed, returnPct: run.final!.summary.totalReturnPct, trades: run.final!.summary.trades });
    }
    // A default that never traded would lose nothing and show nothing.
    expect(median(runs.map((r) => r.trades))).toBeGreaterThanOrEqual(10);
    expect(median(runs.map((r) => r.returnPct))).toBeGreaterThanOrEqual(0);
    const badLosses = runs.filter((r) => r.returnPct < -2).map((r) => `seed ${r.seed}: ${r.returnPct.toFixed(2)} %`);
    expect(badLosses.length <= 5 ? [] : badLosses).toEqual([]);
  }, 60_000);
});
