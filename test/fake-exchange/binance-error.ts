/** An error answered the way Binance answers it: an HTTP status and a JSON body {code, msg}. */
export class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** -1013 "Filter failure: <FILTER>", Binance's rejection of an order outside a symbol filter. */
export const filterFailure = (filter: string): BinanceError => new BinanceError(400, -1013, `Filter failure: ${filter}`);

export const insufficientBalance = (): BinanceError => new BinanceError(400, -2010, 'Account has insufficient balance for requested action.');

export function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') {
    throw new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
  }
  return value;
}

export function integerParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!/^-?\d{1,20}$/.test(value)) {
    throw new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`);
  }
  return Number(value);
}

/** A decimal parameter (quantity, price), checked against Binance's pattern for them. */
export function decimalParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!/^([0-9]{1,20})(\.[0-9]{1,20})?$/.test(value)) {
    throw new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`);
  }
  return value;
}
