import { alignToTimeframe } from '../../src/market/timeframe';
import { binanceId, klineRow, onStep } from './binance-format';
import { selectKlines } from './klines';
import { intervalMsOf, tickerAt, type Listed } from './listing';
import type { FakeTrade } from './matching';
import type { PriceStep } from './price-path';
import type { Connection, WsHub } from './ws-hub';

/** At most this many closed klines (per interval) and public trades are sent for one move of time: a big jump is a gap, not a replay. */
const MAX_PER_MOVE = 100;
const MAX_TRADES_PER_MOVE = 10;

const STREAM = /^([a-z0-9]+)@(kline_([0-9]+[smhdwM])|trade|ticker|miniTicker)$/;

/**
 * The market streams ccxt.pro's binance watches, fed by the played price path: <symbol>@kline_<interval>
 * (watchOHLCV; the forming kline with x=false, and each kline once more with x=true when it closes),
 * <symbol>@trade (watchTrades; one trade per price step at its close, plus the account's own fills) and
 * <symbol>@miniTicker and <symbol>@ticker (the rolling 24-hour ticker after each step; ccxt 4.5's watchTicker
 * subscribes to miniTicker, its option watchTickers.name picks ticker).
 */
export class MarketStreams {
  constructor(
    private readonly hub: WsHub,
    private readonly listed: ReadonlyMap<string, Listed>,
    private readonly now: () => number,
    private readonly tradeId: (symbol: string) => number,
  ) {}

  validStream(name: string): boolean {
    const match = STREAM.exec(name);
    if (!match) return false;
    const entry = this.listed.get(match[1]!.toUpperCase());
    if (!entry) return false;
    if (match[3] === undefined) return true;
    try {
      intervalMsOf(entry, match[3]);
      return true;
    } catch {
      return false;
    }
  }

  /** A kline or ticker stream gets the current state at once; a trade stream waits for the next trade. */
  onSubscribed(conn: Connection, stream: string): void {
    const [id, channel] = stream.split('@') as [string, string];
    const entry = this.listed.get(id.toUpperCase());
    if (!entry) return;
    const t = this.now();
    const wrap = (data: unknown): unknown => (conn.combined ? { stream, data } : data);
    if (channel === 'ticker' || channel === 'miniTicker') this.hub.send(conn, wrap(tickerEvent(entry, t, channel)));
    if (channel.startsWith('kline_')) {
      const interval = channel.slice('kline_'.length);
      const intervalMs = intervalMsOf(entry, interval);
      const [last] = selectKlines(entry.track.upTo(t), { interval, intervalMs, limit: 1 }, t);
      if (last) this.hub.send(conn, wrap(klineEvent(entry, interval, intervalMs, last, t)));
    }
  }

  /** Exchange time moved from `after` to `t`, taking `steps` in the market of `entry`. */
  onSteps(entry: Listed, steps: readonly PriceStep[], after: number, t: number): void {
    if (steps.length === 0) return;
    const id = binanceId(entry.market.symbol).toLowerCase();
    const tradeStream = `${id}@trade`;
    if (this.hub.hasSubscribers(tradeStream)) {
      for (const step of steps.slice(-MAX_TRADES_PER_MOVE)) this.hub.publish(tradeStream, this.stepTrade(entry, step));
    }
    for (const channel of ['ticker', 'miniTicker'] as const) {
      if (this.hub.hasSubscribers(`${id}@${channel}`)) this.hub.publish(`${id}@${channel}`, tickerEvent(entry, t, channel));
    }
    for (const stream of this.klineStreams(id)) {
      const interval = stream.slice(stream.indexOf('@kline_') + '@kline_'.length);
      const intervalMs = intervalMsOf(entry, interval);
      // From the interval that was forming at `after`: it and any later ones closed since, then the one forming now.
      const startTime = Math.max(alignToTimeframe(after, interval), alignToTimeframe(t, interval) - MAX_PER_MOVE * intervalMs);
      for (const kline of selectKlines(entry.track.upTo(t), { interval, intervalMs, startTime, limit: MAX_PER_MOVE + 1 }, t)) {
        this.hub.publish(stream, klineEvent(entry, interval, intervalMs, kline, t));
      }
    }
  }

  /** The account's own fill, as the market's trade stream shows it. */
  onFill(trade: FakeTrade, symbolId: string): void {
    const stream = `${symbolId.toLowerCase()}@trade`;
    if (!this.hub.hasSubscribers(stream)) return;
    // m: whether the buyer was the maker. The fake's order is the maker only when it rested.
    const buyerIsMaker = trade.side === 'BUY' ? trade.isMaker : !trade.isMaker;
    this.hub.publish(stream, tradeEvent(symbolId, trade.id, trade.price, trade.qty, trade.time, buyerIsMaker));
  }

  private stepTrade(entry: Listed, step: PriceStep): unknown {
    const { market } = entry;
    // Deterministic stand-in size: a quarter of the candle's volume, at least one lot.
    const qty = Math.max(Number(market.minQty), Number(onStep(step.volume / 4, market.stepSize)));
    return tradeEvent(binanceId(market.symbol), this.tradeId(market.symbol), step.close, qty, step.time, step.close < step.open);
  }

  private klineStreams(id: string): string[] {
    return [...this.hub.streamsInUse()].filter((s) => s.startsWith(`${id}@kline_`));
  }
}

function tradeEvent(symbolId: string, id: number, price: number, qty: number, time: number, buyerIsMaker: boolean): unknown {
  return { e: 'trade', E: time, s: symbolId, t: id, p: price.toFixed(8), q: qty.toFixed(8), T: time, m: buyerIsMaker, M: true };
}

function klineEvent(entry: Listed, interval: string, intervalMs: number, kline: Parameters<typeof klineRow>[0], t: number): unknown {
  const row = klineRow(kline, intervalMs, entry.market);
  const s = binanceId(entry.market.symbol);
  return {
    e: 'kline',
    E: t,
    s,
    k: { t: row[0], T: row[6], s, i: interval, f: -1, L: -1, o: row[1], c: row[4], h: row[2], l: row[3], v: row[5], n: row[8], x: kline.time + intervalMs <= t, q: row[7], V: row[9], Q: row[10], B: '0' },
  };
}

function tickerEvent(entry: Listed, t: number, channel: 'ticker' | 'miniTicker'): unknown {
  const r = tickerAt(entry, t);
  if (channel === 'miniTicker') {
    return { e: '24hrMiniTicker', E: t, s: r['symbol'], c: r['lastPrice'], o: r['openPrice'], h: r['highPrice'], l: r['lowPrice'], v: r['volume'], q: r['quoteVolume'] };
  }
  return {
    e: '24hrTicker',
    E: t,
    s: r['symbol'],
    p: r['priceChange'],
    P: r['priceChangePercent'],
    w: r['weightedAvgPrice'],
    x: r['prevClosePrice'],
    c: r['lastPrice'],
    Q: r['lastQty'],
    b: r['bidPrice'],
    B: r['bidQty'],
    a: r['askPrice'],
    A: r['askQty'],
    o: r['openPrice'],
    h: r['highPrice'],
    l: r['lowPrice'],
    v: r['volume'],
    q: r['quoteVolume'],
    O: r['openTime'],
    C: r['closeTime'],
    F: r['firstId'],
    L: r['lastId'],
    n: r['count'],
  };
}
