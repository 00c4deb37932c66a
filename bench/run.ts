/**
 * `npm run bench -- <name>`: runs one benchmark (or all with no name), prints a readable table and ends with
 * one line of JSON holding the figures.
 */
import { runBusBench } from './bus.bench';

const benches: Record<string, () => void> = {
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

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  bench();
}
