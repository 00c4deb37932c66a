import { SymbolCooldown } from '../../../../src/risk/protections/symbol-cooldown';

const MIN = 60_000;
const T0 = 1_704_067_200_000;

describe('SymbolCooldown', () => {
  it('refuses entries in a symbol for 30 min after it closed at a loss, not after a win, not in others', () => {
    const cooldown = new SymbolCooldown(30);
    cooldown.closed('ETH/USDT', 5, T0);
    cooldown.closed('BTC/USDT', -12.3, T0);
    expect(cooldown.refusal('ETH/USDT', T0 + MIN, 'USDT')).toBeUndefined();
    expect(cooldown.refusal('BTC/USDT', T0 + 29 * MIN, 'USDT')).toBe(
      'entry in BTC/USDT refused: its last trade lost 12.30 USDT at 2024-01-01T00:00Z, so it cools down for 30 min, until 2024-01-01T00:30Z',
    );
    expect(cooldown.refusal('BTC/USDT', T0 + 30 * MIN, 'USDT')).toBeUndefined();
  });

  it('is off at 0 minutes and survives a snapshot', () => {
    const off = new SymbolCooldown(0);
    off.closed('BTC/USDT', -1, T0);
    expect(off.refusal('BTC/USDT', T0, 'USDT')).toBeUndefined();
    const cooldown = new SymbolCooldown(10);
    cooldown.closed('BTC/USDT', -1, T0);
    const again = new SymbolCooldown(10);
    again.restore(JSON.parse(JSON.stringify(cooldown.snapshot())));
    expect(again.refusal('BTC/USDT', T0 + 9 * MIN, 'USDT')).toContain('refused');
    again.setMinutes(0);
    expect(again.refusal('BTC/USDT', T0 + 9 * MIN, 'USDT')).toBeUndefined();
  });
});
