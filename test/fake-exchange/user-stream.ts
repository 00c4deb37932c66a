import { BinanceError } from './binance-error';
import { wsSignedRequest, type SignedRequest } from './signing';
import type { ApiRequest, Connection, WsHub } from './ws-hub';

/**
 * The user data stream as ccxt.pro's binance (4.5.x) takes it for spot: not a listenKey (Binance retired
 * POST /api/v3/userDataStream for spot), but the WebSocket API method userDataStream.subscribe.signature,
 * signed like a REST request; executionReport and outboundAccountPosition events then arrive on that
 * socket as {subscriptionId, event}.
 */
/** `checkSigned` checks a signed request's key, signature and timestamp, throwing Binance's error. */
export function userApi(hub: WsHub, checkSigned: (request: SignedRequest) => void, exchangeTime: () => number): (conn: Connection, request: ApiRequest) => unknown {
  return (conn, request) => {
    switch (request.method) {
      case 'ping':
        return {};
      case 'time':
        return { serverTime: exchangeTime() };
      case 'userDataStream.subscribe.signature':
        checkSigned(wsSignedRequest(request.params));
        return { subscriptionId: hub.subscribeUser(conn) };
      case 'userDataStream.unsubscribe': {
        const id = request.params['subscriptionId'];
        if (id === undefined) conn.userSubscriptions.clear();
        else conn.userSubscriptions.delete(Number(id));
        return {};
      }
      default:
        throw new BinanceError(400, -1020, 'This operation is not supported.');
    }
  };
}

/**
 * The account's events on their way to the user data stream. While a REST request is being handled they
 * are held, and sent once its answer is written: the acknowledgement reaches the client first, as it
 * usually does from Binance. A 'stream-before-ack' fault releases them before the answer instead.
 */
export class UserEvents {
  private held: unknown[] | undefined;

  constructor(private readonly hub: WsHub) {}

  publish(event: unknown): void {
    if (this.held) this.held.push(event);
    else this.hub.publishUser(event);
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.hub.publishUser(event);
  }
}
