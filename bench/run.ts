/**
 * `npm run bench -- <name>`: runs one benchmark (or all with no name), prints a readable table and ends with
 * one line of JSON holding the figures.
 */
import { runBacktestMemoryBenchInChild } from './backtest-memory.bench';
import { runBacktestBench, runRebalanceBench } from './backtest.bench';
import { runBusBench } from './bus.bench';
import { runClusterBench } from './cluster.bench';
import { runCandleLoadBench } from './candle-load.bench';
import { describeE2e, runE2eBench } from './e2e.bench';
import { runLatencyBench } from './latency.bench';
import { runMarketBench } from './market.bench';

const benches: Record<string, () => void | Promise<void>> = {
  backtest: async () => {
    const perSymbol = Number(process.env['BENCH_CANDLES'] ?? 100_000);
    const t = await runBacktestBench(10, perSymbol, 5);
    process.stdout.write(
      `backtest rsi-macd, ${t.symbols} symbols x ${t.candlesPerSymbol} generated 1m candles in memory, median of ${t.rounds} runs:\n` +
        `  through the agents: ${t.candlesPerSecond} candles/s (${t.trades} trades)${t.candlesPerSecond >= 1_000_000 ? '' : ' (below the 1,000,000 goal)'}\n` +
        `  reference loop (same strategy, no bus, no agents): ${t.referenceCandlesPerSecond} candles/s\n` +
        `  ratio agents / reference: ${t.ratio}${t.ratio >= 0.3 ? '' : ' (below the 0.30 goal)'}\n` +
        `  with every exit rule and risk protection on (rsi-macd-exits): ${t.exits.candlesPerSecond} candles/s (${t.exits.trades} trades, exits ${JSON.stringify(t.exits.exitReasons)})` +
        `${t.exits.candlesPerSecond >= 1_000_000 ? '' : ' (below the 1,000,000 goal)'}, ratio ${t.exits.ratio}${t.exits.ratio >= 0.3 ? '' : ' (below the 0.30 goal)'}\n`,
    );
    const memoryPerSymbol = Number(process.env['BENCH_MEMORY_CANDLES'] ?? 10_000_000) / 10;
    const memory = (['streamed', 'loaded'] as const).map((mode) => runBacktestMemoryBenchInChild(mode, 10, memoryPerSymbol));
    for (const m of memory) {
      const held = m.mode === 'loaded' ? `loaded candles (${m.candlesMb} MB)` : 'streamed candles (none held)';
      process.stdout.write(
        `backtest memory over ${m.candles} ${held}, run ${m.wallSeconds} s: heap growth after GC ${m.heapGrowthMb} MB` +
          `${m.heapGrowthMb <= 5 ? '' : ' (above the 5 MB goal)'}, equity curve storage ${m.arrayBufferGrowthMb} MB, peak RSS ${m.peakRssMb} MB, ` +
          `${m.peakRssApartFromCandlesMb} MB apart from the candles${m.peakRssApartFromCandlesMb <= 256 ? '' : ' (above the 256 MB goal)'} (${m.peakSource})\n`,
      );
    }
    const loads = runCandleLoadBench(1_000_000);
    for (const l of loads) {
      process.stdout.write(`load ${l.candles} candles from ${l.format} (${l.megabytes} MB): ${l.seconds} s${l.seconds <= 2 ? '' : ' (above the 2 s goal)'}\n`);
    }
    process.stdout.write(`${JSON.stringify({ bench: 'backtest', throughput: t, memory, load: loads })}\n`);
  },
  e2e: async () => {
    const r = await runE2eBench();
    process.stdout.write(describeE2e(r));
    process.stdout.write(`${JSON.stringify({ bench: 'e2e', ...r })}\n`);
  },
  rebalance: async () => {
    const perSymbol = Number(process.env['BENCH_CANDLES'] ?? 1_000_000);
    const r = await runRebalanceBench(perSymbol, 5);
    process.stdout.write(
      `backtest rebalance (no strategy), ${r.symbols} symbols x ${r.candlesPerSymbol} generated 1m candles in memory, median of ${r.rounds} runs:\n` +
        `  ${r.candlesPerSecond} candles/s (${r.rebalances} rebalances)${r.candlesPerSecond >= 1_000_000 ? '' : ' (below the 1,000,000 goal)'}\n`,
    );
    process.stdout.write(`${JSON.stringify({ bench: 'rebalance', throughput: r })}\n`);
  },
  cluster: async () => {
    const r = (await runClusterBench()) as {
      marketMessagesPerSecond: number;
      candleToOrderMs: { oneWayP50: number; oneWayP99: number; roundTripP50: number; roundTripP99: number };
      sharded100Symbols: { candlesPerSecond: Record<string, number>; scaling2: number; scaling4: number };
    };
    const l = r.candleToOrderMs;
    const s = r.sharded100Symbols;
    process.stdout.write(
      `bus across processes through one Redis (signed, checked), medians:\n` +
        `  market messages (10 candles each) from one process to another: ${r.marketMessagesPerSecond}/s\n` +
        `  candle -> order across two processes: p50 ${l.oneWayP50} ms, p99 ${l.oneWayP99} ms one way${l.oneWayP99 <= 2 ? '' : ' (above the 2 ms goal)'}; round trip p50 ${l.roundTripP50} ms, p99 ${l.roundTripP99} ms\n` +
        `  100 symbols of rsi-macd over 1, 2, 4 analysis processes: ${s.candlesPerSecond['1']}, ${s.candlesPerSecond['2']}, ${s.candlesPerSecond['4']} candles/s (x${s.scaling2} and x${s.scaling4} of one, on ${require('node:os').cpus().length} cores)\n`,
    );
    process.stdout.write(`${JSON.stringify({ bench: 'cluster', ...r })}\n`);
  },
  market: () => {
    const results = runMarketBench();
    for (const r of results) {
      process.stdout.write(`simulated market, ${r.ticksPerCandle} tick(s) per candle: ${r.candlesPerSecond} candles/s (median of ${r.rounds} rounds of ${r.periods} periods)\n`);
    }
    process.stdout.write(`${JSON.stringify({ bench: 'market', results })}\n`);
  },
  latency: async () => {
    const candles = Number(process.env['BENCH_CANDLES'] ?? 1_000_000);
    const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
    // Off and on alternately, in the same process: the figures compared are measured side by side.
    const runs: Record<'off' | 'on', Awaited<ReturnType<typeof runLatencyBench>>[]> = { off: [], on: [] };
    for (let round = 0; round < rounds; round++) {
      runs.off.push(await runLatencyBench(candles));
      runs.on.push(await runLatencyBench(candles, { api: true }));
    }
    const medianOf = (list: typeof runs.off) => {
      const sorted = [...list].sort((a, b) => a.p99Us - b.p99Us);
      return sorted[sorted.length >> 1]!;
    };
    for (const variant of ['off', 'on'] as const) {
      const result = medianOf(runs[variant]);
      const label = variant === 'off' ? 'API off' : `API on (server, one dashboard WebSocket client got ${result.liveMessages} events, metrics)`;
      process.stdout.write(
        `latency market.candles -> order.submitted over ${result.candles} candles (${result.orders} orders, ${result.wallSeconds} s), ${label}, median of ${rounds} runs by p99: ` +
          `p50 ${result.p50Us} us, p99 ${result.p99Us} us, p99.9 ${result.p999Us} us, max ${result.maxUs} us` +
          `${result.p99Us <= 20 ? '' : ' (p99 above the 20 us goal)'}; heap growth after GC ${result.heapGrowthMb} MB` +
          `${result.heapGrowthMb <= 5 ? '' : ' (above the 5 MB goal)'}\n`,
      );
    }
    process.stdout.write(`${JSON.stringify({ bench: 'latency', off: medianOf(runs.off), on: medianOf(runs.on), runs })}\n`);
  },
  api: async () => {
    const { runStatusUnderLoadBench } = require('./api.bench') as typeof import('./api.bench');
    const speeds = (process.env['BENCH_API_SPEEDS'] ?? '1000,100000').split(',').map(Number);
    const results = [];
    for (const speed of speeds) {
      const r = await runStatusUnderLoadBench(Number(process.env['BENCH_API_REQUESTS'] ?? 2000), speed);
      results.push(r);
      process.stdout.write(
        `/api/status while paper-trading at market.speed ${r.speed} (played ${r.candlesPerSecond} candles/s meanwhile): ` +
          `${r.requests} requests, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms${r.p99Ms <= 5 ? '' : ' (p99 above the 5 ms goal)'}\n`,
      );
    }
    process.stdout.write(`${JSON.stringify({ bench: 'api', results })}\n`);
  },
  optimize: async () => {
    const { runOptimizeBench } = require('./optimize.bench') as typeof import('./optimize.bench');
    const perSymbol = Number(process.env['BENCH_OPTIMIZE_CANDLES'] ?? 20_000);
    const r = await runOptimizeBench(perSymbol, 3);
    process.stdout.write(`optimize sma-cross grid of ${r.trials} trials, ${r.symbols} symbols x ${r.candlesPerSymbol} generated 1m candles, median of ${r.rounds} runs (${r.cores} cores):\n`);
    for (const p of r.pools) {
      process.stdout.write(`  ${p.workers} worker(s): ${p.backtestsPerSecond} backtests/s (${p.candlesPerSecond} candles/s), start-up ${p.startupSeconds} s, runs ${p.roundSeconds.join(' / ')} s, ${p.coresUsed} cores busy\n`);
    }
    process.stdout.write(`  speed-up 2 workers / 1: ${r.speedup}; same results on both pools: ${r.identical ? 'yes' : 'NO'}\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'optimize', ...r })}\n`);
  },
  state: async () => {
    const { runStateBench } = require('./state.bench') as typeof import('./state.bench');
    const candles = Number(process.env['BENCH_STATE_CANDLES'] ?? 200_000);
    const r = await runStateBench(candles, 5);
    for (const c of r.commits) {
      process.stdout.write(
        `state commit, ${c.durability} durability: a fill ${c.fillMedianUs} us median, ${c.fillP99Us} us p99; an order round trip (intent, then fill) ${c.roundTripMedianUs} us median, ${c.roundTripP99Us} us p99\n`,
      );
    }
    const p = r.paper;
    process.stdout.write(
      `paper trading, simulated market at full speed, ${p.candles} candle periods x 2 symbols (${p.trades} trades), median of ${p.rounds}: ` +
        `${p.withoutCandlesPerSecond} periods/s without a state file, ${p.withCandlesPerSecond} with one: the journal costs ${p.costPct} %${p.costPct <= 25 ? '' : ' (above the 25 % goal)'}\n`,
    );
    process.stdout.write(`${JSON.stringify({ bench: 'state', ...r })}\n`);
  },
  bus: () => {
    const results = [runBusBench('simulated'), runBusBench('system')];
    for (const { clock, cases } of results) {
      for (const c of cases) {
        process.stdout.write(
          `bus (${clock} clock) publish -> ${c.subscribers} subscriber(s): bus ${c.busNs} ns/msg, bare emit ${c.bareNs} ns/msg ` +
            `(ratio ${c.ratio}${c.ratio >= 0.5 ? '' : ', below the 0.5 goal'}), bare emit of a clock-stamped message ` +
            `${c.stampedBareNs} ns/msg (ratio ${c.stampedRatio})\n`,
        );
      }
    }
    process.stdout.write(`${JSON.stringify({ bench: 'bus', messagesPerRound: 1_000_000, rounds: 9, results })}\n`);
  },
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const names = requested.length > 0 ? requested : Object.keys(benches);
  for (const name of names) {
    const bench = benches[name];
    if (!bench) {
      process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}\n`);
      process.exit(2);
    }
    await bench();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
