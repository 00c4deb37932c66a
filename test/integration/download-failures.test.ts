import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { MainIO } from '../../src/cli/main-io';
import { runDownloadCommand } from '../../src/cli/run-download-command';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';
import { PROJECT_ROOT, quietEnv } from '../helpers/run-main';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const KLINES = '/api/v3/klines';
/** Quick retries: the command's own policy waits up to half a minute, which is right for a real exchange. */
const retry = { maxRetries: 2, baseDelayMs: 20, maxDelayMs: 40, maxRetryAfterMs: 1000 };

function testIO(options: { tty?: boolean } = {}) {
  const capture = () => {
    const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    return { stream, text: () => chunks.join('') };
  };
  const out = capture();
  const err = capture();
  if (options.tty) Object.assign(err.stream, { isTTY: true, columns: 100 });
  const io: MainIO = { env: quietEnv({ BOT_LOG_COLOR: 'never' }), stdout: out.stream, stderr: err.stream, signals: { on: () => undefined, off: () => undefined }, exit: () => undefined, projectRoot: PROJECT_ROOT };
  return { io, stdout: out.text, stderr: err.text };
}

describe('download command failures', () => {
  let fake: FakeExchange;
  let out: string;
  const options = (extra: Partial<Parameters<typeof runDownloadCommand>[0]> = {}) => ({
    exchange: 'binance',
    exchangeUrl: fake.url,
    symbol: ['BTC/USDT'],
    timeframe: '1h',
    from: '2024-01-01',
    out,
    ...extra,
  });

  beforeEach(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'download-fail-'));
    fake = await createFakeExchange({ timeframe: '1h', start: T0, now: T0 + 2500 * HOUR });
  });
  afterEach(() => fake.close());

  it('names the exchange and the error in one sentence, exit 1, keeping the candles received for the next run', async () => {
    fake.faults.next({ match: { path: KLINES, query: { startTime: String(T0 + 1000 * HOUR) } }, times: 10, fault: { type: 'server-error', status: 503 } });
    const first = testIO();
    await expect(runDownloadCommand(options(), first.io, { retry })).resolves.toBe(1);
    const errors = first.stderr().trimEnd().split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error: downloading BTC\/USDT 1h from binance failed \(kept the 1000 candles received in .*BTC_USDT-1h\.json; run again to resume\): gave up after 3 attempts: ExchangeNotAvailable: binance GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/klines\?.* 503 Service Unavailable/,
    );
    const file = path.join(out, 'BTC_USDT-1h.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toHaveLength(1000);

    fake.faults.clear();
    const second = testIO();
    await expect(runDownloadCommand(options({ from: undefined }), second.io, { retry })).resolves.toBe(0);
    expect(second.stdout()).toMatch(/\+1500 candles, 2500 in /);
  });

  it('fails with exit 1 when the markets cannot be loaded, naming the exchange', async () => {
    fake.faults.next({ match: { path: '/api/v3/exchangeInfo' }, times: 10, fault: { type: 'timeout' } });
    const run = testIO();
    const code = await runDownloadCommand(options(), run.io, { retry: { ...retry, maxRetries: 1 }, timeoutMs: 300 });
    expect(code).toBe(1);
    expect(run.stderr()).toMatch(/^error: loading the markets of binance failed: gave up after 2 attempts: RequestTimeout: binance GET .*exchangeInfo request timed out \(300 ms\)$/m);
    expect(fake.requestsTo('/api/v3/exchangeInfo')).toHaveLength(2);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('fails with exit 1 when nothing listens at --exchange-url', async () => {
    const port = fake.port;
    await fake.close();
    fake = await createFakeExchange({ timeframe: '1h' });
    const run = testIO();
    const code = await runDownloadCommand(options({ exchangeUrl: `http://127.0.0.1:${port}` }), run.io, { retry });
    expect(code).toBe(1);
    expect(run.stderr()).toMatch(/^error: loading the markets of binance failed: gave up after 3 attempts: NetworkError: binance GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/exchangeInfo fetch failed/m);
  });

  it('shows a progress bar on a terminal, and none otherwise', async () => {
    const tty = testIO({ tty: true });
    await expect(runDownloadCommand(options(), tty.io, { retry })).resolves.toBe(0);
    expect(tty.stderr()).toMatch(/BTC\/USDT \[[^\]]*\] 100% 2500\/2500 candles/);
    const plain = testIO();
    await expect(runDownloadCommand(options({ out: path.join(out, 'plain') }), plain.io, { retry })).resolves.toBe(0);
    expect(plain.stderr()).toBe('');
  });
});
