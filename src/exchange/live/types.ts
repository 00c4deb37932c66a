import type { Balances, MarketInterface, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { DenialCode } from '../../execution/types';

export type { Balances, CcxtOrder, CcxtTrade, MarketInterface };

/**
 * The part of a ccxt exchange the live broker uses, written structurally so tests can hand in scripted fakes
 * while `new ccxt.pro.binance(...)` is assignable as is (test/unit/exchange/live/types.test.ts holds that).
 *
 * Binance mapping, checked in ccxt 4.5.84 binance.js: `createOrder(..., { clientOrderId })` is sent as
 * `newClientOrderId`; `fetchOrder` and `cancelOrder` with `{ clientOrderId }` query `origClientOrderId` and
 * ignore the id argument. `fetchOpenOrders` wants a symbol (without one ccxt throws, unless the option
 * warnOnFetchOpenOrdersWithoutSymbol is off).
 */
export interface LiveExchange {
  readonly id: string;
  /** ccxt's capability map; `has.watchOrders === true` means a user stream is available. */
  readonly has?: Readonly<Record<string, boolean | 'emulated' | undefined>>;
  /** ccxt's options; the broker reads `recvWindow` (binance) from it. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Headers of the last HTTP response (ccxt capitalises names: 'Retry-After'). */
  readonly last_response_headers?: Readonly<Record<string, string>> | undefined;

  loadMarkets(reload?: boolean): Promise<unknown>;
  /** Throws (BadSymbol) for an unknown symbol. */
  market(symbol: string): MarketInterface;
  /** Truncates to the market's step; throws InvalidOrder when that leaves 0. */
  amountToPrecision(symbol: string, amount: number): string | undefined;
  /** Rounds to the market's tick. */
  priceToPrecision(symbol: string, price: number): string | undefined;

  createOrder(
    symbol: string,
    type: 'market' | 'limit',
    side: 'buy' | 'sell',
    amount: number,
    price?: number,
    params?: { clientOrderId?: string },
  ): Promise<CcxtOrder>;
  fetchOrder(id: string, symbol?: string, params?: { clientOrderId?: string }): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number): Promise<CcxtOrder[]>;
  fetchMyTrades(symbol?: string, since?: number, limit?: number): Promise<CcxtTrade[]>;
  fetchBalance(): Promise<Balances>;
  cancelOrder(id: string, symbol?: string, params?: { clientOrderId?: string }): Promise<CcxtOrder>;
  /** Measures the offset between our clock and the exchange's, which ccxt then signs requests with. */
  loadTimeDifference?(): Promise<unknown>;

  watchOrders?(symbol?: string): Promise<CcxtOrder[]>;
  watchMyTrades?(symbol?: string): Promise<CcxtTrade[]>;
  watchBalance?(): Promise<Balances>;
}

/** Refusal codes of the live broker: the paper ones and the exchange's (see DenialCode). */
export type LiveDenialCode = DenialCode;

export interface LiveDenial {
  code: LiveDenialCode;
  /** One sentence with the numbers, secrets redacted. */
  message: string;
}

export type NoticeLevel = 'info' | 'warn' | 'error';
export type Notify = (level: NoticeLevel, message: string) => void;
