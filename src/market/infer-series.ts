import path from 'node:path';
import { isTimeframe, timeframeMs, TIMEFRAMES, type Timeframe } from './timeframe';

/**
 * Quote currencies recognised in file names, longest first so that "ETHBUSD" splits as ETH + BUSD and not
 * ETHB + USD. PERP stands for the perpetual swap that FTX-style names like BTC-PERP denote; it is taken
 * literally (BTC/PERP), so pass --symbol to name such a market otherwise.
 */
const QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'PERP', 'USD', 'DAI', 'EUR', 'GBP', 'TRY', 'BRL', 'AUD', 'JPY', 'BTC', 'ETH', 'BNB'];
const COIN = /^[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$/;

export interface NameInference {
  symbol?: string;
  timeframe?: Timeframe;
}

interface Candidate {
  symbol: string;
  /** Token index of the first and last token it was read from. */
  first: number;
  last: number;
}

const isUpper = (token: string): boolean => token === token.toUpperCase();
const isQuote = (token: string): boolean => QUOTES.includes(token.toUpperCase());

/** Every BASE/QUOTE the tokens could spell: two adjacent tokens, or one upper-case token like BTCUSDT. */
function candidates(tokens: readonly string[]): Candidate[] {
  // Names like binance_BTC-USDT write coins in upper case and other words not; there, only upper case counts.
  const upperOnly = tokens.some((t) => COIN.test(t) && !isTimeframe(t) && /[A-Z]/.test(t) && isUpper(t));
  const isCoin = (t: string | undefined): t is string => t !== undefined && COIN.test(t) && !isTimeframe(t) && (!upperOnly || isUpper(t));
  const found: Candidate[] = [];
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (isCoin(token) && isCoin(next) && isQuote(next) && token.toUpperCase() !== next.toUpperCase()) {
      found.push({ symbol: `${token.toUpperCase()}/${next.toUpperCase()}`, first: i, last: i + 1 });
    }
    // Joined symbols are only trusted in upper case: lower-case words end in "eur" or "usd" too often.
    if (isCoin(token) && /[A-Z]/.test(token) && isUpper(token) && !isQuote(token)) {
      const quote = QUOTES.find((q) => token.endsWith(q) && token.length - q.length >= 2);
      if (quote) found.push({ symbol: `${token.slice(0, -quote.length)}/${quote}`, first: i, last: i });
    }
  });
  return found;
}

/**
 * Symbol and timeframe from a file name such as BTC_USDT-1h.json, BTC-USDT_1h.csv,
 * binance_BTC-USDT_5m_2021.json or BTCUSDT-1h-2021-01.csv. The name (without extension) is split into tokens
 * on "_", "-", "." and spaces.
 * - Timeframe: the token that is a known timeframe, written exactly as ccxt does ("1h", not "1H"); none when
 *   no token or two different ones are.
 * - Symbol: BASE/QUOTE from two adjacent tokens whose second is a known quote (USDT, USD, BTC, PERP...), or
 *   from one upper-case token ending in a quote (BTCUSDT). When the name also has upper-case coins, lower-case
 *   tokens (exchange names, "futures") are not coins. The candidate right before the timeframe token wins,
 *   then the one right after it; without one, the symbol is the only candidate in the name, else unknown.
 */
export function inferFromFileName(file: string): NameInference {
  const tokens = nameTokens(file);
  const timeframes = [...new Set(tokens.filter(isTimeframe))];
  const timeframe = timeframes.length === 1 ? timeframes[0] : undefined;
  const at = timeframe === undefined ? -1 : tokens.indexOf(timeframe);
  const found = candidates(tokens);
  const adjacent = at < 0 ? undefined : (found.find((c) => c.last === at - 1) ?? found.find((c) => c.first === at + 1));
  const symbol = adjacent?.symbol ?? (found.length === 1 ? found[0]!.symbol : undefined);
  return { ...(symbol !== undefined && { symbol }), ...(timeframe !== undefined && { timeframe }) };
}

/** The words of a file's name, without its directory and extension: split on "_", "-", "." and spaces. */
export function nameTokens(file: string): string[] {
  return path.parse(file).name.split(/[_\-.\s]+/).filter((t) => t !== '');
}

/** The step (ms) between consecutive times that occurs most often, the shortest on a tie; none for < 2 times. */
export function mostCommonStep(ascendingTimes: ArrayLike<number>): number | undefined {
  const counts = new Map<number, number>();
  // Most steps equal the one before, so runs of one step are counted before they touch the map.
  let runStep = NaN;
  let runLength = 0;
  for (let i = 1; i < ascendingTimes.length; i++) {
    const step = ascendingTimes[i]! - ascendingTimes[i - 1]!;
    if (step === runStep) {
      runLength++;
    } else {
      if (runLength > 0) counts.set(runStep, (counts.get(runStep) ?? 0) + runLength);
      runStep = step;
      runLength = 1;
    }
  }
  if (runLength > 0) counts.set(runStep, (counts.get(runStep) ?? 0) + runLength);
  let best: number | undefined;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

/** The timeframe whose candles are `ms` long, if there is one. */
export function timeframeOfLength(ms: number): Timeframe | undefined {
  return TIMEFRAMES.find((tf) => timeframeMs(tf) === ms);
}
