/** The alerts that come from time passing (an outage), and the refusal of a channel that cannot work, through the real app. */
import { SimulatedClock } from '../../src/core/simulated-clock';
import { UserError } from '../../src/core/errors';
import { testApp } from '../helpers/test-app';

describe('alerts on the clock', () => {
  it('raise exchangeDown once the stream has been down afterS, on the clock, and "back" when it returns', async () => {
    const app = testApp({ env: { BOT_ALERTS_RULES: '{"exchangeDown": {"afterS": 60}}', BOT_MARKET_SPEED: 'realtime' } });
    await app.orchestrator.startAll();
    const raised: string[] = [];
    app.bus.subscribe('test', 'alert.raised', ({ payload }) => void raised.push(`${payload.level} ${payload.title}`));
    const clock = app.clock as SimulatedClock;
    app.bus.publish('data', 'exchange.connection', { part: 'market', connected: false, reason: 'ECONNRESET' });
    clock.advance(59_000);
    expect(raised).toEqual([]);
    clock.advance(1_000);
    expect(raised).toEqual(['critical exchange market stream down']);
    clock.advance(30_000);
    app.bus.publish('data', 'exchange.connection', { part: 'market', connected: true, reason: 'reconnected' });
    expect(raised).toEqual(['critical exchange market stream down', 'info exchange market stream back']);
    expect(app.logger.messages('error')).toContain('alert exchangeDown (critical): exchange market stream down: the exchange market stream has been down for 60 s: ECONNRESET');
    await app.orchestrator.stopAll('test over');
  });

  it('refuse to build a bot whose webhook would go unsigned', () => {
    expect(() => testApp({ env: { BOT_ALERTS_WEBHOOK_URL: 'http://127.0.0.1:9/hook' } })).toThrow(UserError);
    expect(() => testApp({ env: { BOT_ALERTS_WEBHOOK_URL: 'http://127.0.0.1:9/hook' } })).toThrow(/BOT_ALERTS_WEBHOOK_SECRET is empty/);
  });
});
