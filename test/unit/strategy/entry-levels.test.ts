import { botLevels, orderLevels } from '../../../src/strategy/entry-levels';

describe('entry levels', () => {
  const off = { stopLossPct: 0, takeProfitPct: 0, takeProfitTiers: [], trailingStopPct: 0, trailingActivationPct: 3, roi: {} };

  it('gives the bot\'s stop-loss and take-profit always, and the other levels only when they are on', () => {
    expect(botLevels(off)).toEqual({ stopLossPct: 0, takeProfitPct: 0 });
    const on = { ...off, takeProfitTiers: [{ atPct: 2, sellPct: 30 }], trailingStopPct: 1.5, roi: { '0': 4 } };
    expect(botLevels(on)).toEqual({ stopLossPct: 0, takeProfitPct: 0, takeProfitTiers: [{ atPct: 2, sellPct: 30 }], trailingStopPct: 1.5, trailingActivationPct: 3, roi: { '0': 4 } });
  });

  it('fills each level the signal leaves out from the bot, and asks for none when nothing is on', () => {
    expect(orderLevels({}, botLevels(off))).toBeUndefined();
    expect(orderLevels({ trailingStopPct: 2 }, botLevels({ ...off, stopLossPct: 5 }))).toEqual({ stopLossPct: 5, takeProfitPct: 0, trailingStopPct: 2 });
    // The signal's 0 turns the bot's stop off for this entry.
    expect(orderLevels({ stopLossPct: 0 }, botLevels({ ...off, stopLossPct: 5 }))).toBeUndefined();
  });
});
