/**
 * ccxt pro (4.5.x) leaves some of its own promises without a rejection handler: a subscription message
 * sent after the socket closed (`client.throttle(cost).then(() => client.send(message))` in watch), or
 * the authentication future of a user stream whose signature is refused. Node 20 ends the process on an
 * unhandled rejection, so one dropped socket at the wrong moment would kill a live bot.
 *
 * Every future and send of each websocket client gets a handler that does nothing. Whoever awaits the
 * promise still sees the rejection (a watch call still fails with its NetworkError); only a promise that
 * nobody awaits stops counting as unhandled.
 */
interface WsClientLike {
  send(message: unknown): Promise<unknown>;
  future(messageHash: string): Promise<unknown>;
}

interface HasWsClients {
  client(url: string): unknown;
}

const QUIETED = Symbol('agent-trader.quieted');

export function quietWsFutures(exchange: HasWsClients): void {
  const makeClient = exchange.client.bind(exchange);
  exchange.client = (url: string): unknown => {
    const client = makeClient(url) as WsClientLike & { [QUIETED]?: true };
    if (client[QUIETED]) return client;
    client[QUIETED] = true;
    const send = client.send.bind(client);
    const future = client.future.bind(client);
    client.send = (message) => handled(send(message));
    client.future = (hash) => handled(future(hash));
    return client;
  };
}

function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
