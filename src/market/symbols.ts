import { UserError } from '../core/errors';

/** 'BTC/USDT' -> { base: 'BTC', quote: 'USDT' }. */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const [base, quote, ...rest] = symbol.split('/');
  if (!base || !quote || rest.length > 0) throw new UserError(`symbol "${symbol}" is not of the form BASE/QUOTE, like BTC/USDT`);
  return { base, quote };
}

/** The one quote currency all symbols share; the account is kept in it. */
export function quoteCurrencyOf(symbols: readonly string[]): string {
  const quotes = [...new Set(symbols.map((s) => splitSymbol(s).quote))];
  if (quotes.length !== 1) {
    throw new UserError(`market.symbols must share one quote currency, and ${symbols.join(', ')} use ${quotes.join(' and ')}`);
  }
  return quotes[0]!;
}
