/**
 * The REST API server for real: fastify on 127.0.0.1, port 0, with a fake BotControl that records every
 * call, a real EventBus for the metrics and a simulated clock for the login window and the WebSocket's
 * auth timeout. Clients are Node's fetch and the `ws` package.
 */
import WebSocket from 'ws';
import { startApiServer, type ApiServer } from '../../src/api/api-server';
import { DASHBOARD_CSP } from '../../src/api/dashboard-files';
import { EventBus } from '../../src/bus/event-bus';
import { SimulatedClock } from '../../src/core/simulated-clock';
import type { BotConfig } from '../../src/config/schema';
import { CANDLE, EQUITY, FakeBotControl, ORDER, PORTFOLIO, POSITION, STATUS, STRATEGY, TRADE } from '../helpers/fake-bot-control';
import { MemoryLogger } from '../helpers/memory-logger';

const TOKEN = 'test-token-0123456789abcdef';
const SETTINGS: BotConfig['api'] = { enabled: true, port: 0, host: '127.0.0.1', bodyLimitBytes: 16_384, failedLoginsPerMinute: 1000 };

interface Started {
  server: ApiServer;
  control: FakeBotControl;
  bus: EventBus;
  clock: SimulatedClock;
  logger: MemoryLogger;
}

async function start(settings: Partial<BotConfig['api']> = {}, dashboard?: ReadonlyMap<string, { type: string; body: string | Buffer }>): Promise<Started> {
  const control = new FakeBotControl();
  const clock = new SimulatedClock(1_700_000_000_000);
  const bus = new EventBus({ clock });
  const logger = new MemoryLogger();
  const server = await startApiServer({ control, bus, settings: { ...SETTINGS, ...settings }, token: TOKEN, logger, clock, ...(dashboard ? { dashboard } : {}) });
  return { server, control, bus, clock, logger };
}

let s: Started;
beforeAll(async () => {
  s = await start({}, new Map([
    ['/', { type: 'text/html; charset=utf-8', body: '<!doctype html><title>bot</title>' }],
    ['/assets/app.js', { type: 'text/javascript', body: Buffer.from('console.log(1)') }],
  ]));
});
afterAll(async () => s.server.close());
beforeEach(() => {
  s.control.calls.length = 0;
  s.control.refuseWith = undefined;
});

interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
}

async function call(c: Call, token: string | null = TOKEN, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: unknown; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(s.server.url + c.path, { method: c.method, headers, ...(c.body !== undefined ? { body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) } : {}) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Prometheus text, HTML
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** Every route that needs the token, with a request that succeeds and what the control must have been asked. */
const ROUTES: Array<Call & { expectCall: { method: string; args: unknown[] } }> = [
  { method: 'GET', path: '/api/status', expectCall: { method: 'status', args: [] } },
  { method: 'GET', path: '/api/portfolio', expectCall: { method: 'portfolio', args: [] } },
  { method: 'GET', path: '/api/positions', expectCall: { method: 'positions', args: [] } },
  { method: 'GET', path: '/api/orders', expectCall: { method: 'orders', args: [] } },
  { method: 'GET', path: '/api/trades?from=100&to=900&limit=5', expectCall: { method: 'trades', args: [{ from: 100, to: 900, limit: 5 }] } },
  { method: 'GET', path: '/api/equity?maxPoints=50', expectCall: { method: 'equity', args: [50] } },
  { method: 'GET', path: '/api/candles?symbol=BTC/USDT&limit=20', expectCall: { method: 'candles', args: ['BTC/USDT', 20] } },
  { method: 'GET', path: '/api/config', expectCall: { method: 'config', args: [] } },
  { method: 'GET', path: '/api/strategies', expectCall: { method: 'strategies', args: [] } },
  { method: 'GET', path: '/metrics', expectCall: { method: '', args: [] } },
  { method: 'POST', path: '/api/control/pause', expectCall: { method: 'pauseEntries', args: ['api'] } },
  { method: 'POST', path: '/api/control/resume', expectCall: { method: 'resumeEntries', args: ['api'] } },
  { method: 'POST', path: '/api/control/exit', body: { symbol: 'BTC/USDT' }, expectCall: { method: 'exitPosition', args: ['BTC/USDT', 'api'] } },
  { method: 'POST', path: '/api/control/exit-all', expectCall: { method: 'exitAll', args: ['api'] } },
  { method: 'POST', path: '/api/control/stop', expectCall: { method: 'stop', args: ['api'] } },
  { method: 'POST', path: '/api/control/reload-strategies', expectCall: { method: 'reloadStrategies', args: ['api'] } },
  { method: 'POST', path: '/api/control/restart', body: { agent: 'analysis' }, expectCall: { method: 'restartAgent', args: ['analysis', 'api'] } },
  { method: 'PUT', path: '/api/config', body: { key: 'risk.maxOpenPositions', value: 5 }, expectCall: { method: 'setConfig', args: ['risk.maxOpenPositions', 5, 'api'] } },
];
const named = ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const);

describe('auth', () => {
  it.each(named)('%s without a token is 401 {"error":"unauthorized"} and reaches nothing', async (_name, route) => {
    const response = await call(route, null);
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"error":"unauthorized"}');
    expect(s.control.calls).toEqual([]);
  });

  it.each(named)('%s with a wrong token is 401 {"error":"unauthorized"} and reaches nothing', async (_name, route) => {
    const response = await call(route, 'not-the-token-at-all');
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"error":"unauthorized"}');
    expect(s.control.calls).toEqual([]);
  });

  it.each(named)('%s with the token answers 200 and calls the control as it should', async (_name, route) => {
    const response = await call(route);
    expect(response.status).toBe(200);
    if (route.expectCall.method !== '') expect(s.control.calls).toEqual([route.expectCall]);
    else expect(s.control.calls).toEqual([]);
  });

  it('refuses other schemes and a token with something after it', async () => {
    for (const header of [`Basic ${TOKEN}`, `Bearer ${TOKEN} extra`, TOKEN, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer ']) {
      const response = await fetch(`${s.server.url}/api/status`, { headers: { authorization: header } });
      expect({ header, status: response.status }).toEqual({ header, status: 401 });
    }
    const lower = await fetch(`${s.server.url}/api/status`, { headers: { authorization: `bearer ${TOKEN}` } });
    expect(lower.status).toBe(200);
  });

  it('refuses every request from an address after N failed logins within a minute, the right token too, until the minute is over', async () => {
    const limited = await start({ failedLoginsPerMinute: 3 });
    try {
      const get = (token: string) => fetch(`${limited.server.url}/api/status`, { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 3; i++) expect((await get('wrong-token-xxxxxxxxxx')).status).toBe(401);
      const blocked = await get('wrong-token-xxxxxxxxxx');
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('60');
      expect(await blocked.json()).toEqual({ error: 'too many failed logins from this address; try again in 60 s' });
      expect((await get(TOKEN)).status).toBe(429);
      expect(limited.control.calls).toEqual([]);
      expect(limited.logger.messages('warn')).toEqual([expect.stringMatching(/^api: 3 failed logins from .+ within a minute/)]);
      limited.clock.advance(59_000);
      expect((await get(TOKEN)).status).toBe(429);
      limited.clock.advance(1_000);
      expect((await get(TOKEN)).status).toBe(200);
      // A good request does not reset the count, but a new minute does.
      expect((await get('wrong-token-xxxxxxxxxx')).status).toBe(401);
    } finally {
      await limited.server.close();
    }
  });
});

describe('read routes', () => {
  it('answers what the control says', async () => {
    expect((await call({ method: 'GET', path: '/api/status' })).body).toEqual(STATUS);
    expect((await call({ method: 'GET', path: '/api/portfolio' })).body).toEqual(PORTFOLIO);
    expect((await call({ method: 'GET', path: '/api/positions' })).body).toEqual([POSITION]);
    expect((await call({ method: 'GET', path: '/api/orders' })).body).toEqual([ORDER]);
    expect((await call({ method: 'GET', path: '/api/trades' })).body).toEqual([TRADE]);
    expect((await call({ method: 'GET', path: '/api/equity' })).body).toEqual(EQUITY);
    expect((await call({ method: 'GET', path: '/api/candles?symbol=BTC/USDT' })).body).toEqual([CANDLE]);
    expect((await call({ method: 'GET', path: '/api/strategies' })).body).toEqual([STRATEGY]);
    expect(s.control.calls.filter((c) => ['trades', 'equity', 'candles'].includes(c.method))).toEqual([
      { method: 'trades', args: [{}] },
      { method: 'equity', args: [undefined] },
      { method: 'candles', args: ['BTC/USDT', 500] },
    ]);
  });

  it('redacts the secrets of the config even when the control does not', async () => {
    const response = await call({ method: 'GET', path: '/api/config' });
    expect(response.text).not.toContain('hunter2-secret');
    expect(response.text).not.toContain('key-123');
    expect((response.body as BotConfig).exchange.secret).toBe('[REDACTED]');
    expect((response.body as BotConfig).risk).toEqual(s.control.configValue.risk);
  });

  it('sends nosniff and no-store on API answers', async () => {
    const response = await call({ method: 'GET', path: '/api/status' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers an unknown route with a JSON 404, token or not', async () => {
    expect(await call({ method: 'GET', path: '/api/nope?x=1' })).toMatchObject({ status: 404, body: { error: 'no route GET /api/nope' } });
    expect(await call({ method: 'GET', path: '/favicon.ico' }, null)).toMatchObject({ status: 404, body: { error: 'no route GET /favicon.ico' } });
    expect(await call({ method: 'DELETE' as 'GET', path: '/api/status' })).toMatchObject({ status: 404 });
  });
});

describe('bad inputs get 4xx with one clear sentence and change nothing', () => {
  const cases: Array<[string, Call, number, string]> = [
    ['a wrong type', { method: 'POST', path: '/api/control/exit', body: { symbol: 5 } }, 400, 'body field "symbol" must be a string'],
    ['a missing field', { method: 'POST', path: '/api/control/exit', body: {} }, 400, 'body field "symbol" is required'],
    ['an unknown key', { method: 'POST', path: '/api/control/exit', body: { symbol: 'BTC/USDT', all: true } }, 400, 'the body has the unknown key "all"'],
    ['a malformed symbol', { method: 'POST', path: '/api/control/exit', body: { symbol: 'BTC USDT' } }, 400, 'body field "symbol" must be a market symbol like BTC/USDT (at most 40 characters)'],
    ['an array for a body', { method: 'POST', path: '/api/control/exit', body: [1] }, 400, 'the body must be a JSON object'],
    ['broken JSON', { method: 'POST', path: '/api/control/exit', body: '{"symbol":' }, 400, 'the body is not valid JSON'],
    ['a body on a route that takes none', { method: 'POST', path: '/api/control/pause', body: { now: true } }, 400, 'this route takes no body, and the body has the unknown key "now"'],
    ['a string body on a route that takes none', { method: 'POST', path: '/api/control/stop', body: '"please"' }, 400, 'this route takes no body (send none, or {})'],
    ['an agent name with a slash', { method: 'POST', path: '/api/control/restart', body: { agent: '../x' } }, 400, 'body field "agent" must be an agent name of letters, digits, "-", "_" or "." (at most 64 characters)'],
    ['a config change without a value', { method: 'PUT', path: '/api/config', body: { key: 'log.level' } }, 400, 'body field "value" is required'],
    ['a config key of the wrong type', { method: 'PUT', path: '/api/config', body: { key: ['log', 'level'], value: 'debug' } }, 400, 'body field "key" must be a string'],
    ['a config change with an unknown key', { method: 'PUT', path: '/api/config', body: { key: 'log.level', value: 'debug', force: true } }, 400, 'the body has the unknown key "force"'],
    ['a limit out of range', { method: 'GET', path: '/api/trades?limit=1001' }, 400, 'query parameter "limit" must be an integer from 1 to 1000'],
    ['a limit of 0', { method: 'GET', path: '/api/trades?limit=0' }, 400, 'query parameter "limit" must be an integer from 1 to 1000'],
    ['a limit that is not a number', { method: 'GET', path: '/api/trades?limit=ten' }, 400, 'query parameter "limit" must be an integer'],
    ['a limit given twice', { method: 'GET', path: '/api/trades?limit=1&limit=2' }, 400, 'query parameter "limit" must be given once, as an integer'],
    ['from after to', { method: 'GET', path: '/api/trades?from=10&to=5' }, 400, 'query parameter "from" must not be after "to"'],
    ['an unknown query parameter', { method: 'GET', path: '/api/trades?since=5' }, 400, 'unknown query parameter "since"'],
    ['a query parameter on a route that takes none', { method: 'GET', path: '/api/status?verbose=1' }, 400, 'unknown query parameter "verbose"'],
    ['candles without a symbol', { method: 'GET', path: '/api/candles' }, 400, 'query parameter "symbol" is required'],
    ['maxPoints below 2', { method: 'GET', path: '/api/equity?maxPoints=1' }, 400, 'query parameter "maxPoints" must be an integer from 2 to 100000'],
  ];

  it.each(cases)('%s', async (_name, request, status, message) => {
    const response = await call(request);
    expect({ status: response.status, body: response.body }).toEqual({ status, body: { error: message } });
    expect(s.control.commands()).toEqual([]);
    if (request.method !== 'GET') expect(s.control.calls).toEqual([]);
  });

  it('a 1 MB body is 413 with the limit named, and reaches nothing', async () => {
    const response = await call({ method: 'PUT', path: '/api/config', body: { key: 'strategy.params', value: 'x'.repeat(1_000_000) } });
    expect({ status: response.status, body: response.body }).toEqual({ status: 413, body: { error: 'the body is larger than the limit of 16384 bytes' } });
    expect(s.control.calls).toEqual([]);
  });

  it('a body that is not JSON is 415', async () => {
    const response = await fetch(`${s.server.url}/api/control/exit`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: 'BTC/USDT' });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: 'the body must be JSON, sent with Content-Type: application/json' });
    expect(s.control.calls).toEqual([]);
  });
});

describe('control routes', () => {
  it('answer the ControlResult and log its detail, never the token', async () => {
    const response = await call({ method: 'PUT', path: '/api/config', body: { key: 'risk.maxOpenPositions', value: 5 } });
    expect(response.body).toEqual({ ok: true, detail: 'risk.maxOpenPositions set to 5' });
    expect(s.logger.messages('info')).toContain('api: risk.maxOpenPositions set to 5');
    expect(s.logger.lines.some((l) => l.message.includes(TOKEN))).toBe(false);
  });

  it('accept an empty object for a route that takes no body', async () => {
    expect((await call({ method: 'POST', path: '/api/control/pause', body: {} })).status).toBe(200);
    expect(s.control.calls).toEqual([{ method: 'pauseEntries', args: ['api'] }]);
  });

  it.each(ROUTES.filter((r) => r.method !== 'GET').map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s answers 409 with the sentence of a ControlRefused',
    async (_name, route) => {
      s.control.refuseWith = 'no position in BTC/USDT to exit.';
      const response = await call(route);
      expect({ status: response.status, body: response.body }).toEqual({ status: 409, body: { error: 'no position in BTC/USDT to exit.' } });
      expect(s.control.calls).toEqual([route.expectCall]);
      expect(s.logger.messages('warn').at(-1)).toMatch(/refused: no position in BTC\/USDT to exit\.$/);
    },
  );

  it('answers 500 with a sentence, not the error, when the control throws something else', async () => {
    const original = s.control.status.bind(s.control);
    s.control.status = () => {
      throw new Error('internal detail /home/secret');
    };
    try {
      const response = await call({ method: 'GET', path: '/api/status' });
      expect(response.status).toBe(500);
      expect(response.text).not.toContain('secret');
      expect(s.logger.messages('error').at(-1)).toContain('internal detail');
    } finally {
      s.control.status = original;
    }
  });
});

describe('the live WebSocket', () => {
  const liveUrl = (): string => `${s.server.url.replace('http', 'ws')}/api/live`;

  function open(): Promise<{ socket: WebSocket; messages: unknown[]; closed: Promise<{ code: number; reason: string }> }> {
    const socket = new WebSocket(liveUrl());
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve({ socket, messages, closed }));
      socket.once('error', reject);
    });
  }

  async function until(predicate: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(predicate()).toBe(true);
  }

  it('closes with 4401 when no auth message comes within 5 s', async () => {
    const { closed } = await open();
    await until(() => s.control.calls.length === 0);
    s.clock.advance(4_999);
    const early = await Promise.race([closed, new Promise((r) => setTimeout(() => r('open'), 50))]);
    expect(early).toBe('open');
    s.clock.advance(1);
    expect(await closed).toEqual({ code: 4401, reason: 'unauthorized' });
  });

  it('closes with 4401 on a wrong token, and pushes it nothing', async () => {
    const { socket, messages, closed } = await open();
    socket.send(JSON.stringify({ type: 'auth', token: 'wrong-token-xxxxxxxxxx' }));
    expect(await closed).toEqual({ code: 4401, reason: 'unauthorized' });
    expect(messages).toEqual([]);
    expect(s.control.listenerCount).toBe(0);
  });

  it('closes with 4401 on a first message that is not an auth message', async () => {
    const { socket, closed } = await open();
    socket.send('hello');
    expect((await closed).code).toBe(4401);
  });

  it('after the auth message, says ready and pushes every event the control publishes; unsubscribes when the last client leaves', async () => {
    const { socket, messages, closed } = await open();
    socket.send(JSON.stringify({ type: 'auth', token: TOKEN }));
    await until(() => messages.length === 1);
    expect(messages).toEqual([{ type: 'ready' }]);
    expect(s.control.listenerCount).toBe(1);
    s.control.emit({ type: 'equity', data: { time: 1, equity: 10_001 } });
    s.control.emit({ type: 'log', data: { level: 'info', message: 'hello', time: 2 } });
    await until(() => messages.length === 3);
    expect(messages.slice(1)).toEqual([
      { type: 'equity', data: { time: 1, equity: 10_001 } },
      { type: 'log', data: { level: 'info', message: 'hello', time: 2 } },
    ]);
    // Past the auth timeout an authenticated socket stays open.
    s.clock.advance(10_000);
    socket.close();
    await closed;
    await until(() => s.control.listenerCount === 0);
  });

  it('drops a client that falls more than 1 MiB behind, without blocking the publisher', async () => {
    const { socket, messages, closed } = await open();
    socket.send(JSON.stringify({ type: 'auth', token: TOKEN }));
    await until(() => messages.length === 1);
    // Stop reading: the server's send buffer fills up.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(64 * 1024);
    const started = performance.now();
    for (let i = 0; i < 400 && s.control.listenerCount > 0; i++) {
      s.control.emit({ type: 'log', data: { level: 'info', message: big, time: i } });
      await new Promise((r) => setImmediate(r));
    }
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(s.control.listenerCount).toBe(0);
    expect(s.logger.messages('warn').at(-1)).toMatch(/dropped a live client/);
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await closed).code).toBe(1006);
  });
});

describe('/metrics', () => {
  it('is Prometheus text that counts the messages published on the bus, by topic', async () => {
    for (let i = 0; i < 3; i++) s.bus.publish('test', 'agent.heartbeat', { agent: 'data' });
    s.bus.publish('test', 'exchange.error', { kind: 'NetworkError', message: 'down' });
    s.bus.publish('test', 'agent.restarted', { agent: 'analysis', attempt: 1, delayMs: 10, reason: 'boom', dependants: [] });
    const response = await call({ method: 'GET', path: '/metrics' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = response.text.split('\n');
    for (const line of lines) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[0-9.e+-]+|)$/);
    expect(lines).toContain('bot_bus_messages_total{topic="agent.heartbeat"} 3');
    expect(lines).toContain('bot_exchange_errors_total{kind="NetworkError"} 1');
    expect(lines).toContain('bot_agent_restarts_total{agent="analysis"} 1');
    expect(lines).toContain('# TYPE bot_candle_to_order_seconds histogram');
  });
});

describe('the dashboard files', () => {
  it('are served without auth, with the CSP and nosniff', async () => {
    const page = await call({ method: 'GET', path: '/' }, null);
    expect(page.status).toBe(200);
    expect(page.text).toBe('<!doctype html><title>bot</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await call({ method: 'GET', path: '/assets/app.js' }, null);
    expect(script).toMatchObject({ status: 200, text: 'console.log(1)' });
    expect(script.headers.get('content-type')).toBe('text/javascript');
    expect(script.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
  });

  it('do not count as failed logins and are not API routes', async () => {
    expect(DASHBOARD_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect((await call({ method: 'GET', path: '/assets/other.js' }, null)).status).toBe(404);
  });
});

describe('start-up', () => {
  it('listens on 127.0.0.1 and says where; a port in use is one sentence', async () => {
    expect(s.server.host).toBe('127.0.0.1');
    expect(s.server.url).toBe(`http://127.0.0.1:${s.server.port}`);
    expect(s.logger.messages('info')).toContain(`api: listening on ${s.server.url}`);
    await expect(start({ port: s.server.port })).rejects.toThrow(`api.port ${s.server.port} on 127.0.0.1 is in use; choose another (0: any free port).`);
  });

  it('warns when bound to a non-loopback address', async () => {
    const open = await start({ host: '0.0.0.0' });
    try {
      expect(open.logger.messages('warn')).toEqual([expect.stringContaining('api: listening on 0.0.0.0, not a loopback address')]);
    } finally {
      await open.server.close();
    }
  });

  it('close() unhooks the metrics from the bus', async () => {
    const other = await start();
    expect(other.bus.tapCount()).toBe(1);
    await other.server.close();
    expect(other.bus.tapCount()).toBe(0);
    expect(other.bus.listenerCount()).toBe(0);
  });
});
