import { DailyLoss } from '../../../../src/risk/protections/daily-loss';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** 2024-01-01T00:00Z */
const JAN1 = 19_723 * DAY;

describe('DailyLoss', () => {
  it('reduces at 3 % below the day start and lets go at the next UTC day, by the clock alone', () => {
    const loss = new DailyLoss(3);
    loss.mark(10_000, JAN1 + HOUR);
    loss.mark(9_750, JAN1 + 2 * HOUR); // 2.5 %
    expect(loss.state).toBe('active');
    loss.mark(9_690, JAN1 + 3 * HOUR); // 3.1 %
    expect(loss.state).toBe('reducing');
    expect(loss.reason).toBe('equity 9,690.00 is 3.1 % below 10,000.00 at the start of the UTC day 2024-01-01 (limit 3 %); entries resume at 2024-01-02');
    // Recovering within the day changes nothing: the rest of the day is spent.
    loss.mark(10_500, JAN1 + 4 * HOUR);
    expect(loss.state).toBe('reducing');
    expect(loss.wakeAt).toBe(JAN1 + DAY);
    loss.tick(JAN1 + DAY - 1);
    expect(loss.state).toBe('reducing');
    loss.tick(JAN1 + DAY);
    expect(loss.state).toBe('active');
    expect(loss.reason).toBe('a new UTC day began (2024-01-02), starting at equity 10,500.00');
  });

  it("starts a day at the previous day's last equity, so a loss in its first period counts", () => {
    const loss = new DailyLoss(5);
    loss.mark(10_000, JAN1 + 23 * HOUR);
    loss.mark(9_400, JAN1 + DAY + 60_000); // 6 % below the 10,000 the day began with
    expect(loss.state).toBe('reducing');
  });

  it('lets go when a reload turns it off, and survives a snapshot', () => {
    const loss = new DailyLoss(2);
    loss.mark(10_000, JAN1);
    loss.mark(9_800, JAN1 + HOUR);
    expect(loss.state).toBe('reducing');
    const again = new DailyLoss(2);
    again.restore(JSON.parse(JSON.stringify(loss.snapshot())));
    expect(again.state).toBe('reducing');
    again.tick(JAN1 + DAY);
    expect(again.state).toBe('active');
    loss.setLimit(0);
    expect(loss.state).toBe('active');
    expect(loss.reason).toBe('the daily loss limit was turned off');
  });
});
