import crypto from 'node:crypto';
import { BinanceError, decimalParam, integerParam, required } from './binance-error';
import { type MatchingEngine, type OrderRequest, type OrderType, type Side, type TimeInForce } from './matching';
import { accountJson, canceledOrderJson, coinJson, myTradeJson, newOrderJson, orderJson, type OrderRespType } from './order-format';

/** What the signed endpoints need from the fake exchange. */
export interface PrivateContext {
  engine: MatchingEngine;
  /** Unified symbol of a Binance id; -1121 when not listed. */
  symbolOf(id: string): string;
  /** Exchange time. */
  now(): number;
  /** The market's last price at exchange time. */
  priceOf(symbol: string): number;
  feeRate: number;
  /** Every asset of the listed markets: the account lists them all, at zero when not held. */
  assets: readonly string[];
}

export type Route = (params: URLSearchParams) => unknown;

const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
/** The types the fake trades; Binance's conditional ones (STOP_LOSS...) are answered as unknown. */
const TYPES: readonly OrderType[] = ['LIMIT', 'LIMIT_MAKER', 'MARKET'];

/** The SIGNED spot endpoints ccxt's binance calls for trading and the account, keyed 'METHOD /path'. */
export function privateRoutes(ctx: PrivateContext): Record<string, Route> {
  const ref = (params: URLSearchParams): { orderId?: number; clientOrderId?: string } => {
    const orderId = integerParam(params, 'orderId');
    if (orderId !== undefined) return { orderId };
    const clientOrderId = params.get('origClientOrderId');
    if (clientOrderId === null || clientOrderId === '') {
      throw new BinanceError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    }
    return { clientOrderId };
  };
  const symbol = (params: URLSearchParams): string => ctx.symbolOf(required(params, 'symbol'));

  return {
    'POST /api/v3/order': (params) => {
      const request = orderRequest(params, ctx);
      const respType = (params.get('newOrderRespType') ?? 'FULL') as OrderRespType;
      if (!['ACK', 'RESULT', 'FULL'].includes(respType)) throw illegal('newOrderRespType', 'ACK, RESULT, FULL');
      const order = ctx.engine.place(request, { time: ctx.now(), price: ctx.priceOf(request.symbol) });
      return newOrderJson(order, respType);
    },
    'GET /api/v3/order': (params) => orderJson(ctx.engine.query(symbol(params), ref(params))),
    'DELETE /api/v3/order': (params) => {
      const s = symbol(params);
      const order = ctx.engine.cancel(s, ref(params), ctx.now(), clientId(params, 'newClientOrderId'));
      return canceledOrderJson(order, ctx.now());
    },
    'GET /api/v3/openOrders': (params) => {
      const s = params.get('symbol');
      return ctx.engine.orders({ open: true, ...(s !== null && { symbol: ctx.symbolOf(s) }) }).map(orderJson);
    },
    'DELETE /api/v3/openOrders': (params) => {
      const s = symbol(params);
      const open = ctx.engine.orders({ symbol: s, open: true });
      if (open.length === 0) throw new BinanceError(400, -2011, 'Unknown order sent.');
      return open.map((o) => canceledOrderJson(ctx.engine.cancel(s, { orderId: o.orderId }, ctx.now(), randomClientId()), ctx.now()));
    },
    'GET /api/v3/allOrders': (params) => {
      const orders = ctx.engine.orders({ symbol: symbol(params) });
      return page(orders, params, (o) => o.orderId, (o) => o.time, 'orderId').map(orderJson);
    },
    'GET /api/v3/myTrades': (params) => {
      const s = symbol(params);
      const orderId = integerParam(params, 'orderId');
      const trades = ctx.engine.trades(s).filter((t) => orderId === undefined || t.orderId === orderId);
      return page(trades, params, (t) => t.id, (t) => t.time, 'fromId').map(myTradeJson);
    },
    'GET /api/v3/account': (params) => {
      const omitZero = params.get('omitZeroBalances') === 'true';
      return accountJson(
        balancesWithAll(ctx).filter((b) => !omitZero || b.free > 0 || b.locked > 0),
        ctx.feeRate,
        ctx.now(),
      );
    },
    'GET /sapi/v1/capital/config/getall': () => balancesWithAll(ctx).map(coinJson),
  };
}

function orderRequest(params: URLSearchParams, ctx: PrivateContext): OrderRequest {
  const symbol = ctx.symbolOf(required(params, 'symbol'));
  const side = required(params, 'side') as Side;
  if (side !== 'BUY' && side !== 'SELL') throw illegal('side', 'BUY, SELL');
  const type = required(params, 'type') as OrderType;
  if (!TYPES.includes(type)) throw new BinanceError(400, -1116, 'Invalid orderType.');
  const quantity = decimalParam(params, 'quantity');
  const quoteOrderQty = decimalParam(params, 'quoteOrderQty');
  const price = decimalParam(params, 'price');
  const timeInForce = params.get('timeInForce') ?? undefined;
  if (timeInForce !== undefined && !['GTC', 'IOC', 'FOK'].includes(timeInForce)) throw illegal('timeInForce', 'GTC, IOC, FOK');
  if (type === 'MARKET') {
    if (quantity === undefined && quoteOrderQty === undefined) {
      throw new BinanceError(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
    }
    for (const [name, value] of [['price', price], ['timeInForce', timeInForce], ['quoteOrderQty', quantity !== undefined ? quoteOrderQty : undefined]] as const) {
      if (value !== undefined) throw new BinanceError(400, -1106, `Parameter '${name}' sent when not required.`);
    }
  } else {
    required(params, 'quantity');
    required(params, 'price');
    if (type === 'LIMIT') required(params, 'timeInForce');
  }
  return {
    symbol,
    side,
    type,
    clientOrderId: clientId(params, 'newClientOrderId'),
    ...(timeInForce !== undefined && { timeInForce: timeInForce as TimeInForce }),
    ...(quantity !== undefined && { quantity }),
    ...(quoteOrderQty !== undefined && { quoteOrderQty }),
    ...(price !== undefined && { price }),
  };
}

/** The client id sent in `name`, checked against Binance's pattern, or a random one as Binance makes. */
function clientId(params: URLSearchParams, name: string): string {
  const id = params.get(name);
  if (id === null || id === '') return randomClientId();
  if (!CLIENT_ID.test(id)) throw illegal(name, '^[\\.A-Z\\:/a-z0-9_-]{1,36}$');
  return id;
}

const randomClientId = (): string => crypto.randomBytes(16).toString('base64url').slice(0, 22);

/** Binance's paging of history: from an id, or a time range, ascending, `limit` (default 500, at most 1000) at a time. */
function page<T>(rows: readonly T[], params: URLSearchParams, id: (row: T) => number, time: (row: T) => number, fromName: string): T[] {
  const from = integerParam(params, fromName);
  const startTime = integerParam(params, 'startTime');
  const endTime = integerParam(params, 'endTime');
  const limit = Math.min(integerParam(params, 'limit') ?? 500, 1000);
  const chosen = rows.filter(
    (r) => (from === undefined || id(r) >= from) && (startTime === undefined || time(r) >= startTime) && (endTime === undefined || time(r) <= endTime),
  );
  // Without a starting point Binance answers the most recent ones.
  return from === undefined && startTime === undefined ? chosen.slice(-limit) : chosen.slice(0, limit);
}

function balancesWithAll(ctx: PrivateContext): Array<{ asset: string; free: number; locked: number }> {
  const held = ctx.engine.wallet.snapshot();
  const missing = ctx.assets.filter((a) => !held.some((b) => b.asset === a)).map((asset) => ({ asset, free: 0, locked: 0 }));
  return [...held, ...missing].sort((a, b) => a.asset.localeCompare(b.asset));
}

function illegal(name: string, legal: string): BinanceError {
  return new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '${legal}'.`);
}
