/**
 * The exit rules beyond a plain stop-loss and take-profit, by hand: a take-profit ladder moving the stop to
 * breakeven, a trailing stop's activation and trigger, and the ROI table by time held. Each number in the
 * comments is worked out from the entry's price; the book and the fill model must give the same.
 */
import { FillModel } from '../../../src/execution/fill-model';
import { createOrderIds } from '../../../src/execution/order-ids';
import type { PriceEvent } from '../../../src/execution/price-event';
import { ProtectionBook, type FiredProtection } from '../../../src/execution/protection-book';
import { ladderProblem, levelsProblem, roiProblem } from '../../../src/execution/exit-levels';
import type { EntryLevels } from '../../../src/execution/types';
import type { Candle } from '../../../src/market/types';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function event(time: number, open: number, high: number, low: number): PriceEvent {
  return { symbol: 'BTC/USDT', time, open, high, low, close: open };
}

/** Every exit one event fires, as the fill model asks for them. */
function fireAll(book: ProtectionBook, e: PriceEvent): FiredProtection[] {
  const slot = book.slot('BTC/USDT');
  const fired: FiredProtection[] = [];
  let next = book.fire(slot, e);
  while (next !== undefined) {
    fired.push(next);
    next = next.partial ? book.fire(slot, e, false) : undefined;
  }
  return fired;
}

function entered(levels: EntryLevels, qty = 1, price = 100): ProtectionBook {
  const book = new ProtectionBook();
  book.entryFilled('BTC/USDT', 'e-1', qty, price, levels, T0);
  return book;
}

const exits = (fired: FiredProtection[]) => fired.map((f) => [f.reason, +f.qty.toFixed(10), +f.price.toFixed(10)]);

describe('take-profit ladder', () => {
  const ladder: EntryLevels = {
    stopLossPct: 3,
    takeProfitTiers: [
      { atPct: 2, sellPct: 30, moveStopTo: 'breakeven' },
      { atPct: 5, sellPct: 50 },
    ],
  };

  it('sells each tier\'s share of the entry at its level, then stops the rest at breakeven', () => {
    const book = entered(ladder);
    // Tiers at 102 (0.3) and 105 (0.5); stop at 97.
    expect(fireAll(book, event(T0, 100, 101.5, 98))).toEqual([]);
    expect(exits(fireAll(book, event(T0 + MINUTE, 101, 102.5, 100.5)))).toEqual([['take-profit', 0.3, 102]]);
    expect(book.get('BTC/USDT')).toMatchObject({ qty: 0.7, stopLoss: 100 });
    // 99.5 is above the old stop (97) but below breakeven: the rest goes at 100.
    expect(exits(fireAll(book, event(T0 + 2 * MINUTE, 100.5, 101, 99.5)))).toEqual([['stop-loss', 0.7, 100]]);
    expect(book.get('BTC/USDT')).toBeUndefined();
  });

  it('fires every tier one candle reaches, in order, and a gap through a tier at the open', () => {
    const book = entered(ladder);
    expect(exits(fireAll(book, event(T0, 103, 106, 102.8)))).toEqual([
      ['take-profit', 0.3, 103],
      ['take-profit', 0.5, 105],
    ]);
    // 0.2 left, stopped at breakeven; no tier, no take-profit left.
    expect(book.get('BTC/USDT')).toEqual({ qty: expect.closeTo(0.2, 12), stopLoss: 100, tiers: [] });
  });

  it('does not stop the rest at the moved stop inside the candle whose high filled the tier', () => {
    const book = entered(ladder);
    // High 102.5 fills tier 1 and low 99 is below breakeven, but which came first is unknown: no stop yet.
    expect(exits(fireAll(book, event(T0, 101, 102.5, 99)))).toEqual([['take-profit', 0.3, 102]]);
    expect(exits(fireAll(book, event(T0 + MINUTE, 99.8, 100.2, 99.5)))).toEqual([['stop-loss', 0.7, 99.8]]);
  });

  it('stops the whole position first when one candle reaches the stop and a tier', () => {
    const book = entered(ladder);
    expect(exits(fireAll(book, event(T0, 100, 103, 96)))).toEqual([['stop-loss', 1, 97]]);
  });

  it('watches nothing more once the last tier sold the whole entry', () => {
    const book = entered({ takeProfitTiers: [{ atPct: 1, sellPct: 40 }, { atPct: 2, sellPct: 60 }] });
    expect(exits(fireAll(book, event(T0, 100, 103, 99)))).toEqual([
      ['take-profit', 0.4, 101],
      ['take-profit', 0.6, 102],
    ]);
    expect(book.get('BTC/USDT')).toBeUndefined();
  });

  it('keeps a ladder with a take-profit for the rest above it', () => {
    const book = entered({ takeProfitPct: 8, takeProfitTiers: [{ atPct: 4, sellPct: 50, moveStopTo: 1 }] });
    expect(exits(fireAll(book, event(T0, 100, 104, 99)))).toEqual([['take-profit', 0.5, 104]]);
    // The stop moved to 1 % above the entry.
    expect(book.get('BTC/USDT')?.stopLoss).toBeCloseTo(101, 12);
    expect(exits(fireAll(book, event(T0 + MINUTE, 105, 109, 104)))).toEqual([['take-profit', 0.5, 108]]);
  });
});

describe('trailing stop', () => {
  it('starts trailing once the price reaches the activation, and counts its peak from the next candle', () => {
    const book = entered({ trailingStopPct: 5, trailingActivationPct: 2 });
    // Activation at 102: 101 does not start it.
    expect(fireAll(book, event(T0, 100, 101, 90))).toEqual([]);
    // High 104 starts it (stop 104 x 0.95 = 98.8), from the next candle: this one's low of 95 fires nothing.
    expect(fireAll(book, event(T0 + MINUTE, 100, 104, 95))).toEqual([]);
    expect(book.get('BTC/USDT')?.trailing?.peak).toBe(104);
    // A higher peak moves it up: 110 x 0.95 = 104.5.
    expect(fireAll(book, event(T0 + 2 * MINUTE, 105, 110, 105))).toEqual([]);
    expect(exits(fireAll(book, event(T0 + 3 * MINUTE, 108, 108, 104)))).toEqual([['trailing-stop', 1, 104.5]]);
  });

  it('trails from the entry price without an activation, and the higher of it and the stop-loss wins', () => {
    const book = entered({ stopLossPct: 3, trailingStopPct: 2 });
    // Trail 100 x 0.98 = 98 is above the stop-loss at 97: a low of 97.5 fires the trailing stop at 98.
    expect(exits(fireAll(book, event(T0, 99, 99.5, 97.5)))).toEqual([['trailing-stop', 1, 98]]);
    const loose = entered({ stopLossPct: 3, trailingStopPct: 10 });
    // Trail 90 is below the stop-loss at 97: a gap down opening at 95 fills the stop-loss at the open.
    expect(exits(fireAll(loose, event(T0, 95, 96, 94)))).toEqual([['stop-loss', 1, 95]]);
  });
});

describe('ROI table', () => {
  const roi = { roi: { '0': 10, '30': 2, '60': 0 } };

  it('exits at the smallest profit the time held asks for, judged at the candle\'s start', () => {
    const book = entered(roi);
    // 10 minutes held: 10 % (110) asked; 105 is not enough.
    expect(fireAll(book, event(T0 + 10 * MINUTE, 104, 105, 103))).toEqual([]);
    // 29 minutes at the candle's start: still 10 %, whatever the candle reaches in its minute.
    expect(fireAll(book, event(T0 + 29 * MINUTE, 104, 105, 103))).toEqual([]);
    // 30 minutes: 2 % (102) asked; the high of 102.5 reaches it.
    expect(exits(fireAll(book, event(T0 + 30 * MINUTE, 101, 102.5, 100.5)))).toEqual([['roi', 1, 102]]);
  });

  it('exits at break-even after an hour, at the open when the candle opens above it', () => {
    const book = entered(roi);
    expect(fireAll(book, event(T0 + 59 * MINUTE, 99, 101, 98))).toEqual([]);
    expect(exits(fireAll(book, event(T0 + 60 * MINUTE, 100.4, 100.6, 100.1)))).toEqual([['roi', 1, 100.4]]);
  });
});

describe('exit rules in the fill model', () => {
  function candle(time: number, open: number, high: number, low: number): Candle {
    return { symbol: 'BTC/USDT', timeframe: '1m', time, open, high, low, close: open, volume: 1 };
  }

  it('fills a ladder\'s tiers as maker and the stop of the rest as taker, the entry watched from its own candle', () => {
    const model = new FillModel({ fees: { maker: 0.001, taker: 0.002 }, slippageBps: 0, nextOrderId: createOrderIds('risk') });
    model.submit({
      clientOrderId: 'e-1',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      qty: 2,
      reason: 'signal',
      origin: 'test',
      createdAt: T0,
      protect: { stopLossPct: 3, takeProfitTiers: [{ atPct: 2, sellPct: 25, moveStopTo: 'breakeven' }] },
    });
    // The entry fills at the open, 100; the same candle's high of 102.5 fills the tier: 0.5 at 102.
    const first = model.onCandle(candle(T0, 100, 102.5, 100));
    expect(first.map((f) => [f.side, f.reason, f.qty, f.price, f.liquidity])).toEqual([
      ['buy', 'signal', 2, 100, 'taker'],
      ['sell', 'take-profit', 0.5, 102, 'maker'],
    ]);
    const second = model.onCandle(candle(T0 + MINUTE, 100.5, 101, 99.9));
    expect(second.map((f) => [f.reason, f.qty, f.price, f.liquidity, +f.fee.toFixed(10)])).toEqual([['stop-loss', 1.5, 100, 'taker', 0.3]]);
  });

  it('goes on to the same exits after its levels are saved and restored', () => {
    const book = entered({ trailingStopPct: 5, trailingActivationPct: 2, takeProfitTiers: [{ atPct: 3, sellPct: 50 }] });
    // 102.5 starts the trail (peak 102.5) below the tier at 103.
    expect(fireAll(book, event(T0, 100, 102.5, 100))).toEqual([]);
    const restored = new ProtectionBook();
    restored.restore(JSON.parse(JSON.stringify(book.toState())));
    for (const b of [book, restored]) {
      // The tier at 103 sells half; the high of 103.5 then moves the peak: 103.5 x 0.95 = 98.325.
      expect(exits(fireAll(b, event(T0 + MINUTE, 102, 103.5, 99)))).toEqual([['take-profit', 0.5, 103]]);
      expect(exits(fireAll(b, event(T0 + 2 * MINUTE, 100, 100, 97)))).toEqual([['trailing-stop', 0.5, 98.325]]);
    }
  });
});

describe('exit levels as a user writes them', () => {
  it('says what is wrong with a ladder, naming the tier', () => {
    expect(ladderProblem([{ atPct: 2, sellPct: 30 }, { atPct: 5, sellPct: 50, moveStopTo: 'breakeven' }])).toBeUndefined();
    expect(ladderProblem({ atPct: 2 })).toBe('must be a list of tiers like [{"atPct": 2, "sellPct": 30}]');
    expect(ladderProblem([{ atPct: 5, sellPct: 30 }, { atPct: 2, sellPct: 30 }])).toBe('tier 2\'s atPct 2 must be above the tier before\'s 5');
    expect(ladderProblem([{ atPct: 2, sellPct: 60 }, { atPct: 5, sellPct: 50 }])).toBe('the tiers sell 110 % of the entry in all, more than 100 %');
    expect(ladderProblem([{ atPct: 2, sellPct: 30, moveStopTo: 3 }])).toBe('tier 1\'s moveStopTo must be "breakeven" or a percent from the entry above -100 and below its atPct 2');
    expect(ladderProblem([{ atPct: 2, sell: 30 }])).toBe('tier 1 has an unknown key "sell" (it takes atPct, sellPct and moveStopTo)');
  });

  it('says what is wrong with an ROI table and with an intent\'s levels', () => {
    expect(roiProblem({ '0': 4, '30': 2, '60': 0 })).toBeUndefined();
    expect(roiProblem({ '1h': 2 })).toBe('has the key "1h", which is not a whole number of minutes');
    expect(levelsProblem({ trailingStopPct: 100 })).toBe('trailingStopPct must be a number of percent from 0 to below 100, got 100');
    expect(levelsProblem({ takeProfitTiers: [{ atPct: 0, sellPct: 10 }] })).toBe('takeProfitTiers tier 1\'s atPct must be a number of percent above 0');
  });
});
