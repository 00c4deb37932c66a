import { MaxDrawdown } from '../../../../src/risk/protections/max-drawdown';

describe('MaxDrawdown', () => {
  it('halts at 15 % below the peak and lets go once the equity is back within it', () => {
    const dd = new MaxDrawdown(15);
    dd.mark(10_000);
    dd.mark(9_000); // 10 % down
    expect(dd.state).toBe('active');
    dd.mark(8_412.5); // 15.875 % down
    expect(dd.state).toBe('halted');
    expect(dd.reason).toBe('equity 8,412.50 is 15.9 % below its peak 10,000.00 (limit 15 %)');
    dd.mark(8_600); // 14 % down
    expect(dd.state).toBe('active');
    expect(dd.reason).toBe('equity 8,600.00 is back within 15 % of its peak 10,000.00 (14.0 % below)');
  });

  it('measures from the highest mark, and from the true peak when a reload turns it on', () => {
    const dd = new MaxDrawdown(0);
    dd.mark(10_000);
    dd.mark(12_000);
    dd.mark(10_100); // 15.83 % below 12,000, 1 % above the first mark
    expect(dd.state).toBe('active');
    dd.setLimit(15);
    expect(dd.state).toBe('halted');
    dd.setLimit(20);
    expect(dd.state).toBe('active');
    dd.setLimit(15);
    dd.setLimit(0);
    expect(dd.state).toBe('active');
    expect(dd.reason).toBe('the drawdown limit was turned off');
  });

  it('keeps its peak and its halt across a snapshot', () => {
    const dd = new MaxDrawdown(10);
    dd.mark(10_000);
    dd.mark(8_000);
    const again = new MaxDrawdown(10);
    again.restore(JSON.parse(JSON.stringify(dd.snapshot())));
    expect(again.state).toBe('halted');
    again.mark(9_100); // 9 % below the restored peak
    expect(again.state).toBe('active');
  });
});
