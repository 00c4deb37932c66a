/**
 * What the API accepts: fastify JSON schemas (ajv, with no type coercion and no silent removal of unknown
 * keys, so a wrong type or an unknown key is refused instead of reshaped), and the one error handler that
 * turns every refusal into `{"error": "<one sentence naming the field>"}`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ControlRefused } from './bot-control';
import type { Logger } from '../logging/logger';

/** ajv options for the server: refuse, never coerce or strip. */
export const AJV_OPTIONS = { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } as const;

/** A query string value is text; integers are checked by pattern here and by range in `integerParam`. */
const INTEGER_TEXT = { type: 'string', pattern: '^-?[0-9]{1,16}$' } as const;

/** What each field must be, for the messages of a pattern or length refusal. */
const FIELD_RULES: Readonly<Record<string, string>> = {
  from: 'an integer (clock ms)',
  to: 'an integer (clock ms)',
  limit: 'an integer',
  maxPoints: 'an integer',
  symbol: 'a market symbol like BTC/USDT (at most 40 characters)',
  agent: 'an agent name of letters, digits, "-", "_" or "." (at most 64 characters)',
  key: 'a dotted config key like risk.maxOpenPositions (at most 200 characters)',
};

const SYMBOL = { type: 'string', minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)?$' } as const;

export const tradesQuery = {
  type: 'object',
  properties: { from: INTEGER_TEXT, to: INTEGER_TEXT, limit: INTEGER_TEXT },
  additionalProperties: false,
} as const;

export const equityQuery = { type: 'object', properties: { maxPoints: INTEGER_TEXT }, additionalProperties: false } as const;

export const candlesQuery = {
  type: 'object',
  properties: { symbol: SYMBOL, limit: INTEGER_TEXT },
  required: ['symbol'],
  additionalProperties: false,
} as const;

/** Read routes take no query parameters. */
export const noQuery = { type: 'object', properties: {}, additionalProperties: false } as const;

export const exitBody = { type: 'object', properties: { symbol: SYMBOL }, required: ['symbol'], additionalProperties: false } as const;

export const restartBody = {
  type: 'object',
  properties: { agent: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' } },
  required: ['agent'],
  additionalProperties: false,
} as const;

export const setConfigBody = {
  type: 'object',
  // `value` has no type here: the bot validates it as the config file's would be (ControlRefused -> 409).
  properties: { key: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*$' }, value: {} },
  required: ['key', 'value'],
  additionalProperties: false,
} as const;

/** A refusal of the input found by a handler (a range, an order of bounds): 400 with its sentence. */
export class BadRequest extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

/** An integer query parameter already matched by INTEGER_TEXT, checked against its range. */
export function integerParam(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new BadRequest(`query parameter "${name}" must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** The body of a route that takes none: nothing, or `{}`. */
export function assertNoBody(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return;
  const keys = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
  throw new BadRequest(keys.length > 0 ? `this route takes no body, and the body has the unknown key "${keys[0]}"` : 'this route takes no body (send none, or {})');
}

interface ValidationItem {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** One sentence for the first thing wrong with a body or query string, naming the field. */
export function validationMessage(context: string | undefined, items: readonly ValidationItem[]): string {
  const item = items[0];
  const inQuery = context === 'querystring';
  if (item === undefined) return inQuery ? 'the query string is not valid' : 'the body is not valid';
  const field = item.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const named = (name: string): string => (inQuery ? `query parameter "${name}"` : `body field "${name}"`);
  switch (item.keyword) {
    case 'additionalProperties':
      return inQuery
        ? `unknown query parameter "${String(item.params['additionalProperty'])}"`
        : `the body has the unknown key "${String(item.params['additionalProperty'])}"`;
    case 'required':
      return `${named(String(item.params['missingProperty']))} is required`;
    case 'type':
      if (field === '') return inQuery ? 'the query string is not valid' : 'the body must be a JSON object';
      if (inQuery) return `${named(field)} must be given once, as ${FIELD_RULES[field] ?? 'text'}`;
      return `${named(field)} must be ${article(String(item.params['type']))}`;
    case 'pattern':
    case 'minLength':
    case 'maxLength':
      return `${named(field)} must be ${FIELD_RULES[field] ?? 'valid text'}`;
    default:
      return `${field === '' ? (inQuery ? 'the query string' : 'the body') : named(field)} is not valid`;
  }
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}

const FASTIFY_MESSAGES: Readonly<Record<string, (bodyLimit: number) => string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (limit) => `the body is larger than the limit of ${limit} bytes`,
  FST_ERR_CTP_INVALID_JSON_BODY: () => 'the body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the body is empty although Content-Type says JSON; send {} or no Content-Type',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => 'the body must be JSON, sent with Content-Type: application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'the Content-Length header does not match the body',
};

/**
 * Every error a route or fastify raises, as `{"error": "<sentence>"}`: validation 400, too large 413,
 * not JSON 415, ControlRefused 409, any other 4xx with its message; anything else 500 with a sentence that
 * points at the log, where the real error goes (never to the client).
 */
export function errorHandler(logger: Logger, bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error instanceof ControlRefused) return reply.code(409).send({ error: error.message });
    if (error.validation !== undefined) {
      return reply.code(400).send({ error: validationMessage(error.validationContext, error.validation as unknown as ValidationItem[]) });
    }
    const known = error.code === undefined ? undefined : FASTIFY_MESSAGES[error.code];
    const status = error.statusCode ?? 500;
    if (known !== undefined) return reply.code(status).send({ error: known(bodyLimit) });
    if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
    logger.error(`api: ${request.method} ${request.url} failed: ${error.message}`);
    return reply.code(500).send({ error: 'the bot could not answer this request; its log has the error' });
  };
}
