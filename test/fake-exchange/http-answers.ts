import type http from 'node:http';
import type { Fault } from './faults';

/** Binance's answers over HTTP: JSON bodies {code, msg} for errors, and the faults as Binance fails. */

export interface Answer {
  status: number;
  body: string;
  type?: string;
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(res: http.ServerResponse, answer: Answer, headers: Record<string, string> = {}): void {
  res.writeHead(answer.status, { 'Content-Type': answer.type ?? 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(answer.body), ...headers });
  res.end(answer.body);
}

export function answerWithFault(res: http.ServerResponse, fault: Fault): void {
  const json = (status: number, code: number, msg: string, headers: Record<string, string> = {}): void => send(res, { status, body: JSON.stringify({ code, msg }) }, headers);
  switch (fault.type) {
    case 'rate-limit': {
      const retryAfter = fault.retryAfterSec ?? 1;
      json(429, -1003, 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.', { 'Retry-After': String(retryAfter) });
      return;
    }
    case 'ip-ban': {
      const retryAfter = fault.retryAfterSec ?? 120;
      json(418, -1003, `Way too much request weight used; IP banned until ${Date.now() + retryAfter * 1000}. Please use WebSocket Streams for live updates to avoid bans.`, { 'Retry-After': String(retryAfter) });
      return;
    }
    case 'server-error': {
      const status = fault.status ?? 500;
      if (status === 500) json(500, -1000, 'An unknown error occurred while processing the request.');
      else if (status === 502) send(res, { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', type: 'text/html' });
      else send(res, { status: 503, body: 'Service Unavailable', type: 'text/plain' });
      return;
    }
    case 'timeout':
      // Never answered: the client's own timeout ends it, or close() does.
      return;
    case 'timestamp':
      json(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
      return;
    case 'filter-failure':
      json(400, -1013, `Filter failure: ${fault.filter ?? 'NOTIONAL'}`);
      return;
    case 'stream-before-ack':
    case 'slow':
      // Handled before any answer is made; listed so every fault type has a case.
      return;
  }
}
