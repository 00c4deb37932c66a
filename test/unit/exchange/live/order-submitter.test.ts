import { DDoSProtection, DuplicateOrderId, ExchangeNotAvailable, InsufficientFunds, InvalidNonce, NetworkError, RequestTimeout } from 'ccxt';
import { SimulatedClock } from '../../../../src/core/simulated-clock';
import type { ExchangeAccess } from '../../../../src/exchange/live/exchange-access';
import { OrderSubmitter, type SubmitOutcome, type SubmitRequest } from '../../../../src/exchange/live/order-submitter';
import { RequestGate } from '../../../../src/exchange/live/request-gate';
import type { ResolvePolicy } from '../../../../src/exchange/live/resolve-order';
import { order, runFor, ScriptedExchange, T0 } from './scripted-exchange';

const SECRET = 'S3cr3tS3cr3tS3cr3t';
const ID = 'at-lqw3-1';
const request: SubmitRequest = { clientOrderId: ID, symbol: 'BTC/USDT', type: 'market', side: 'buy', amount: 0.01 };
const BINANCE_POLICY: ResolvePolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 4000, notFoundIsFinalAfterMs: 15_000 };

function setup(resolve: ResolvePolicy = BINANCE_POLICY) {
  const clock = new SimulatedClock(T0);
  const exchange = new ScriptedExchange(clock);
  const notices: string[] = [];
  const gate = new RequestGate(clock, { retryAfterHeader: () => exchange.last_response_headers?.['Retry-After'], fallbackMs: 10_000 });
  const access: ExchangeAccess = {
    exchange,
    clock,
    gate,
    retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 4000, maxRetryAfterMs: 60_000 },
    secrets: [SECRET],
    notify: (level, message) => notices.push(`${level}: ${message}`),
  };
  const submitter = new OrderSubmitter(access, { resolve, maxGateWaitMs: 10_000 });
  const submit = async (req = request, runMs = 60_000): Promise<SubmitOutcome> => {
    const pending = submitter.submit(req);
    await runFor(clock, runMs);
    return pending;
  };
  return { clock, exchange, notices, gate, submit };
}

const placed = order({ clientOrderId: ID, id: '555', status: 'closed', filled: 0.01, cost: 500 });

describe('OrderSubmitter', () => {
  it('sends the client order id with the order', async () => {
    const { exchange, submit } = setup();
    const outcome = await submit();
    expect(outcome.kind).toBe('accepted');
    expect(exchange.callsOf('createOrder').map((c) => c.args)).toEqual([['BTC/USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: ID }]]);
  });

  it('settles a timed-out createOrder that went through by querying it, never sending it again', async () => {
    const { exchange, notices, submit } = setup();
    exchange.script('createOrder', { error: new RequestTimeout(`binance POST https://api.binance.com/api/v3/order?signature=abc123 request timed out`) });
    exchange.script('fetchOrder', { error: new NetworkError('still down') }, { result: placed });
    const outcome = await submit();
    expect(outcome).toEqual({ kind: 'accepted', update: placed });
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
    expect(exchange.callsOf('fetchOrder').map((c) => c.args)).toEqual([
      [ID, 'BTC/USDT', { clientOrderId: ID }],
      [ID, 'BTC/USDT', { clientOrderId: ID }],
    ]);
    expect(notices.join('\n')).toContain('signature=<redacted>');
    expect(notices.join('\n')).not.toContain('abc123');
  });

  it('finds the order among open orders when the query by id fails', async () => {
    const { exchange, submit } = setup();
    exchange.script('createOrder', { error: new ExchangeNotAvailable('binance 503 Service Unavailable') });
    exchange.script('fetchOrder', { error: new NetworkError('down') });
    exchange.script('fetchOpenOrders', { result: [order({ clientOrderId: 'other' }), { ...placed, status: 'open' }] });
    const outcome = await submit();
    expect(outcome.kind === 'accepted' && outcome.update.id).toBe('555');
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
  });

  it.each([
    ['a timeout', new RequestTimeout('timed out')],
    ['a 5xx', new ExchangeNotAvailable('binance 502 Bad Gateway')],
  ])('reports %s as not placed once Binance\'s recvWindow has passed without the order, and sends nothing more', async (_what, error) => {
    const { clock, exchange, submit } = setup();
    exchange.script('createOrder', { error });
    const outcome = await submit();
    expect(outcome.kind === 'rejected' && outcome.denial.code).toBe('not-placed');
    expect(outcome.kind === 'rejected' && outcome.denial.message).toMatch(/^order at-lqw3-1 \(buy market 0.01 BTC\/USDT\) not placed: /);
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
    const queries = exchange.callsOf('fetchOrder');
    expect(queries).toHaveLength(4);
    // The verdict rests on a query made after the window: 15 s after the failed send.
    expect(queries[3]?.time).toBeGreaterThanOrEqual(T0 + 15_000);
    expect(clock.now()).toBe(T0 + 60_000);
  });

  it('gives up as unresolved after the bounded queries when "not found" proves nothing', async () => {
    const { exchange, submit } = setup({ attempts: 3, baseDelayMs: 1000, maxDelayMs: 4000 });
    exchange.script('createOrder', { error: new RequestTimeout('timed out') });
    const outcome = await submit();
    expect(outcome.kind).toBe('unresolved');
    expect(outcome.kind === 'unresolved' && outcome.reason).toMatch(/RequestTimeout: timed out.*not found after \d+ ms/);
    expect(exchange.callsOf('fetchOrder').map((c) => c.time - T0)).toEqual([1000, 3000, 7000]);
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
  });

  it('settles a duplicate client order id (an earlier send got through) by query', async () => {
    const { exchange, submit } = setup();
    exchange.script('createOrder', { error: new DuplicateOrderId('binance {"code":-2010,"msg":"Duplicate order sent."}') });
    exchange.script('fetchOrder', { result: placed });
    expect((await submit()).kind).toBe('accepted');
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
  });

  it('resyncs the clock after -1021 and sends once more with the same client order id', async () => {
    const { exchange, submit } = setup();
    exchange.script('createOrder', { error: new InvalidNonce('binance {"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}') });
    expect((await submit()).kind).toBe('accepted');
    expect(exchange.callsOf('loadTimeDifference')).toHaveLength(1);
    const sends = exchange.callsOf('createOrder');
    expect(sends).toHaveLength(2);
    expect(sends[1]?.args).toEqual(sends[0]?.args);
  });

  it('refuses as clock-skew when -1021 comes back after the resync', async () => {
    const { exchange, submit } = setup();
    const skew = () => ({ error: new InvalidNonce('binance {"code":-1021}') });
    exchange.script('createOrder', skew(), skew());
    const outcome = await submit();
    expect(outcome.kind === 'rejected' && outcome.denial.code).toBe('clock-skew');
    expect(exchange.callsOf('createOrder')).toHaveLength(2);
  });

  it('takes a 429 as not placed, and holds every later request until its Retry-After', async () => {
    const { clock, exchange, gate, submit } = setup();
    exchange.script('createOrder', { error: new DDoSProtection('binance 429 Too Many Requests'), headers: { 'Retry-After': '30' } });
    const first = await submit(request, 0);
    expect(first.kind === 'rejected' && first.denial.code).toBe('rate-limited');
    expect(gate.waitMs()).toBe(30_000);

    // 30 s is longer than an order may wait: refused without a request.
    const second = await submit({ ...request, clientOrderId: 'at-lqw3-2' }, 0);
    expect(second.kind === 'rejected' && second.denial.message).toMatch(/not sent: the exchange asked for 30 s without requests/);
    expect(exchange.callsOf('createOrder')).toHaveLength(1);

    await runFor(clock, 25_000);
    const third = await submit({ ...request, clientOrderId: 'at-lqw3-3' }, 10_000);
    expect(third.kind).toBe('accepted');
    expect(exchange.callsOf('createOrder').map((c) => c.time - T0)).toEqual([0, 30_000]);
  });

  it('refuses on a definite rejection, with the exchange\'s words and no secret', async () => {
    const { exchange, submit } = setup();
    exchange.script('createOrder', { error: new InsufficientFunds(`binance {"code":-2010,"msg":"Account has insufficient balance for requested action."} key=${SECRET}`) });
    const outcome = await submit();
    expect(outcome).toEqual({
      kind: 'rejected',
      denial: {
        code: 'insufficient-funds',
        message: 'order at-lqw3-1 (buy market 0.01 BTC/USDT) refused by binance: InsufficientFunds: binance {"code":-2010,"msg":"Account has insufficient balance for requested action."} key=<redacted>',
      },
    });
    expect(exchange.callsOf('fetchOrder')).toHaveLength(0);
  });
});
