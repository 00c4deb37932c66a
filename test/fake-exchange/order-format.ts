/**
 * The fake's orders, trades and balances in Binance's own JSON shapes (decimals as 8-place strings), for
 * the REST answers and the user data stream events. Shapes as Binance's spot API documents them in 2025.
 */
import { binanceId } from './binance-format';
import { eight } from './decimal';
import type { ExecutionType, FakeOrder, FakeTrade } from './matching';
import type { AssetBalance } from './wallet';

/** What POST /api/v3/order answers, by newOrderRespType. */
export type OrderRespType = 'ACK' | 'RESULT' | 'FULL';

const STP = 'EXPIRE_MAKER';

/** GET /api/v3/order, /api/v3/openOrders and /api/v3/allOrders: one order. */
export function orderJson(order: FakeOrder): Record<string, unknown> {
  return {
    symbol: binanceId(order.symbol),
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: eight(order.price),
    origQty: eight(order.origQty),
    executedQty: eight(order.executedQty),
    cummulativeQuoteQty: eight(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    stopPrice: eight(0),
    icebergQty: eight(0),
    time: order.time,
    updateTime: order.updateTime,
    isWorking: true,
    workingTime: order.time,
    origQuoteOrderQty: eight(order.origQuoteOrderQty),
    selfTradePreventionMode: STP,
  };
}

/** POST /api/v3/order's answer; FULL lists the fills made while placing it. */
export function newOrderJson(order: FakeOrder, respType: OrderRespType): Record<string, unknown> {
  const ack = { symbol: binanceId(order.symbol), orderId: order.orderId, orderListId: -1, clientOrderId: order.clientOrderId, transactTime: order.time };
  if (respType === 'ACK') return ack;
  const result = { ...ack, ...orderState(order), workingTime: order.time };
  if (respType === 'RESULT') return result;
  const fills = order.trades.map((t) => ({ price: eight(t.price), qty: eight(t.qty), commission: eight(t.commission), commissionAsset: t.commissionAsset, tradeId: t.id }));
  return { ...result, fills };
}

/** DELETE /api/v3/order: clientOrderId is the cancel request's own id, origClientOrderId the order's. */
export function canceledOrderJson(order: FakeOrder, transactTime: number): Record<string, unknown> {
  return {
    symbol: binanceId(order.symbol),
    origClientOrderId: order.clientOrderId,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.cancelClientOrderId ?? '',
    transactTime,
    ...orderState(order),
  };
}

/** The fields every order answer shares: quantities and prices as Binance's 8-decimal strings, and the state. */
function orderState(order: FakeOrder): Record<string, unknown> {
  return {
    price: eight(order.price),
    origQty: eight(order.origQty),
    executedQty: eight(order.executedQty),
    origQuoteOrderQty: eight(order.origQuoteOrderQty),
    cummulativeQuoteQty: eight(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    selfTradePreventionMode: STP,
  };
}

/** GET /api/v3/myTrades: one fill. */
export function myTradeJson(trade: FakeTrade): Record<string, unknown> {
  return {
    symbol: binanceId(trade.symbol),
    id: trade.id,
    orderId: trade.orderId,
    orderListId: -1,
    price: eight(trade.price),
    qty: eight(trade.qty),
    quoteQty: eight(trade.quoteQty),
    commission: eight(trade.commission),
    commissionAsset: trade.commissionAsset,
    time: trade.time,
    isBuyer: trade.side === 'BUY',
    isMaker: trade.isMaker,
    isBestMatch: true,
  };
}

/** GET /api/v3/account: the spot account with its balances. */
export function accountJson(balances: readonly AssetBalance[], feeRate: number, time: number): Record<string, unknown> {
  // Binance counts commissions in basis points here: 10 is 0.1%.
  const bps = Math.round(feeRate * 10_000);
  return {
    makerCommission: bps,
    takerCommission: bps,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: eight(feeRate), taker: eight(feeRate), buyer: eight(0), seller: eight(0) },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: time,
    accountType: 'SPOT',
    balances: balances.map((b) => ({ asset: b.asset, free: eight(b.free), locked: eight(b.locked) })),
    permissions: ['SPOT'],
    uid: 1,
  };
}

/** GET /sapi/v1/capital/config/getall (ccxt's fetchCurrencies, called by loadMarkets once it has keys). */
export function coinJson(balance: AssetBalance): Record<string, unknown> {
  const { asset } = balance;
  return {
    coin: asset,
    name: asset,
    depositAllEnable: true,
    withdrawAllEnable: true,
    free: eight(balance.free),
    locked: eight(balance.locked),
    freeze: '0',
    withdrawing: '0',
    ipoing: '0',
    ipoable: '0',
    storage: '0',
    isLegalMoney: false,
    trading: true,
    networkList: [
      {
        network: asset,
        coin: asset,
        withdrawIntegerMultiple: '0.00000001',
        isDefault: true,
        depositEnable: true,
        withdrawEnable: true,
        depositDesc: '',
        withdrawDesc: '',
        specialTips: '',
        name: asset,
        resetAddressStatus: false,
        addressRegex: '',
        memoRegex: '',
        withdrawFee: '0',
        withdrawMin: '0',
        withdrawMax: '9999999999.99999999',
        minConfirm: 1,
        unLockConfirm: 0,
        sameAddress: false,
        busy: false,
      },
    ],
  };
}

let eventSeq = 1;

/** The user data stream's executionReport for one change of an order. */
export function executionReport(execution: ExecutionType, order: FakeOrder, time: number, trade?: FakeTrade): Record<string, unknown> {
  const canceled = execution === 'CANCELED';
  return {
    e: 'executionReport',
    E: time,
    s: binanceId(order.symbol),
    // A cancel reports the cancel request's id in c and the order's own in C; C is empty otherwise.
    c: canceled ? (order.cancelClientOrderId ?? '') : order.clientOrderId,
    S: order.side,
    o: order.type,
    f: order.timeInForce,
    q: eight(order.origQty),
    p: eight(order.price),
    P: eight(0),
    F: eight(0),
    g: -1,
    C: canceled ? order.clientOrderId : '',
    x: execution,
    X: order.status,
    r: 'NONE',
    i: order.orderId,
    l: eight(trade?.qty ?? 0),
    z: eight(order.executedQty),
    L: eight(trade?.price ?? 0),
    n: trade ? eight(trade.commission) : '0',
    N: trade ? trade.commissionAsset : null,
    T: time,
    t: trade?.id ?? -1,
    I: eventSeq++,
    w: order.status === 'NEW',
    m: trade?.isMaker ?? false,
    M: false,
    O: order.time,
    Z: eight(order.cummulativeQuoteQty),
    Y: eight(trade?.quoteQty ?? 0),
    Q: eight(order.origQuoteOrderQty),
    W: order.time,
    V: STP,
  };
}

/** The user data stream's balance event: only the assets that changed. */
export function outboundAccountPosition(balances: readonly AssetBalance[], time: number): Record<string, unknown> {
  return { e: 'outboundAccountPosition', E: time, u: time, B: balances.map((b) => ({ a: b.asset, f: eight(b.free), l: eight(b.locked) })) };
}
