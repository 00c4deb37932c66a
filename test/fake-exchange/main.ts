/**
 * `npm run fake-exchange -- [--port <p>] [--data <candle file>]... [--speed <candles per second>]`: the fake
 * Binance on 127.0.0.1, REST and WebSocket, for trying the bot by hand (`download --exchange-url <url>`, or
 * trading with the demo key and secret it prints). Ctrl-C stops it.
 */
import { Command, InvalidArgumentError } from 'commander';
import { createFakeExchange } from './fake-exchange';

const number = (what: string) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${what} must be a number, 0 or more.`);
  return n;
};
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const options = new Command('fake-exchange')
  .description('a local fake of the Binance spot API (REST and WebSocket), for ccxt and the bot')
  .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', number('--port'))
  .option('--data <file>', 'candle file to serve; repeat for several symbols (default: generated BTC/USDT and ETH/USDT)', collect)
  .option('--speed <n>', 'exchange time runs at this many candles per second (default 0: it stands still)', number('--speed'))
  .option('--seed <n>', 'seed of the generated candles', number('--seed'))
  .option('--timeframe <tf>', 'timeframe of the generated candles (default 1m)')
  .parse()
  .opts<{ port?: number; data?: string[]; speed?: number; seed?: number; timeframe?: string }>();

async function run(): Promise<void> {
  const fake = await createFakeExchange({
    ...(options.port !== undefined && { port: options.port }),
    ...(options.data !== undefined && { files: options.data }),
    ...(options.speed !== undefined && { speed: options.speed }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.timeframe !== undefined && { timeframe: options.timeframe }),
  });
  process.stdout.write(`fake exchange (binance spot REST) at ${fake.url}\n`);
  process.stdout.write(`market streams at ${fake.wsUrl} (ccxt.pro urls.api.ws.spot), WebSocket API at ${fake.wsApiUrl} (urls.api.ws['ws-api'].spot)\n`);
  process.stdout.write(`api key: ${fake.apiKey}\nsecret:  ${fake.secret}\n`);
  process.stdout.write(`balances: ${fake.balances().map((b) => `${b.free} ${b.asset}`).join(', ')}\n`);
  process.stdout.write(`markets: ${fake.markets.map((m) => m.symbol).join(', ')}; exchange time ${new Date(fake.now()).toISOString()}\n`);
  process.stdout.write(`try: npx ts-node src/main.ts download --exchange binance --exchange-url ${fake.url} --symbol ${fake.markets[0]!.symbol} --timeframe 1h --from 2024-01-01\n`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

run().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
