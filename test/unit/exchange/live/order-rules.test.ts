import type { Order } from '../../../../src/execution/types';
import { sizeOrder, type OrderRulesConfig } from '../../../../src/exchange/live/order-rules';
import { BTC_USDT, offlineBinance, T0 } from './scripted-exchange';

const config: OrderRulesConfig = { fees: { maker: 0.001, taker: 0.001 }, slippageBps: 5 };

function buy(fields: Partial<Order>): Order {
  return { clientOrderId: 'at-x-1', symbol: 'BTC/USDT', side: 'buy', type: 'market', reason: 'signal', origin: 'test', createdAt: T0, ...fields };
}

describe('sizeOrder', () => {
  const exchange = offlineBinance([
    BTC_USDT,
    { ...BTC_USDT, id: 'ETHUSDT', symbol: 'ETH/USDT', base: 'ETH', baseId: 'ETH', active: false },
  ]);

  it('truncates the amount to the step (never up) and rounds a limit price to the tick', () => {
    const result = sizeOrder(exchange, buy({ type: 'limit', qty: 0.123456789, limitPrice: 50_000.126 }), 50_000, config);
    expect(result).toEqual({ ok: true, sized: { amount: 0.12345, price: 50_000.13, notional: 0.12345 * 50_000.13 } });
    const sell = sizeOrder(exchange, buy({ side: 'sell', qty: 0.019999999 }), 50_000, config);
    expect(sell.ok && sell.sized.amount).toBe(0.01999);
  });

  it('sizes a quote-sized market buy fee- and slippage-aware, so it cannot spend more than its quote', () => {
    const result = sizeOrder(exchange, buy({ quoteAmount: 100 }), 50_000, config);
    // 100 / (50000 x 1.0005 x 1.001) = 0.0019970..., truncated to 0.00199
    expect(result).toEqual({ ok: true, sized: { amount: 0.00199, notional: 0.00199 * 50_000 } });
    if (result.ok) expect(result.sized.amount * 50_000 * 1.0005 * 1.001).toBeLessThanOrEqual(100);
  });

  it('sizes a quote-sized limit buy at its limit with the maker fee', () => {
    const result = sizeOrder(exchange, buy({ type: 'limit', quoteAmount: 100, limitPrice: 40_000 }), 50_000, config);
    // 100 / (40000 x 1.001) = 0.0024975...
    expect(result.ok && result.sized).toEqual({ amount: 0.00249, price: 40_000, notional: 0.00249 * 40_000 });
  });

  it('refuses an amount that truncates to nothing, naming it', () => {
    const result = sizeOrder(exchange, buy({ side: 'sell', qty: 0.000004 }), 50_000, config);
    expect(result).toEqual({ ok: false, denial: { code: 'below-min-amount', message: 'sell market BTC/USDT refused: amount 0.000004 BTC is below the market\'s smallest step' } });
  });

  it('refuses a notional under the minimum, with the numbers, at the price used', () => {
    const result = sizeOrder(exchange, buy({ qty: 0.00009 }), 50_000, config);
    expect(result).toEqual({
      ok: false,
      denial: { code: 'below-min-notional', message: "buy market BTC/USDT refused: notional 0.00009 x 50000 = 4.5 USDT is below the market's minimum of 5" },
    });
    // The same amount at a limit price high enough passes.
    expect(sizeOrder(exchange, buy({ type: 'limit', qty: 0.00009, limitPrice: 60_000 }), 50_000, config).ok).toBe(true);
  });

  it('applies the market-order lot limit (MARKET_LOT_SIZE) to market orders only', () => {
    const market = sizeOrder(exchange, buy({ qty: 150 }), 1, config);
    expect(market).toEqual({ ok: false, denial: { code: 'above-max-amount', message: "buy market BTC/USDT refused: amount 150 BTC is above the market's maximum of 100" } });
    expect(sizeOrder(exchange, buy({ type: 'limit', qty: 150, limitPrice: 1 }), 1, config).ok).toBe(true);
  });

  it('refuses an inactive or unknown market, and a limit price outside the range', () => {
    expect(sizeOrder(exchange, buy({ symbol: 'ETH/USDT', qty: 1 }), 3000, config)).toEqual({
      ok: false,
      denial: { code: 'market-inactive', message: 'buy market ETH/USDT refused: the market is not trading (inactive on the exchange)' },
    });
    const unknown = sizeOrder(exchange, buy({ symbol: 'DOGE/USDT', qty: 1 }), 0.1, config);
    expect(!unknown.ok && unknown.denial.code).toBe('unknown-market');
    const range = sizeOrder(exchange, buy({ type: 'limit', qty: 1, limitPrice: 2_000_000 }), 50_000, config);
    expect(!range.ok && range.denial).toEqual({ code: 'price-out-of-range', message: "buy limit BTC/USDT refused: limit price 2000000 is outside the market's range 0.01 to 1000000" });
  });

  it('refuses a price that is not a positive number', () => {
    const result = sizeOrder(exchange, buy({ qty: 1 }), Number.NaN, config);
    expect(!result.ok && result.denial.code).toBe('invalid-order');
  });
});
