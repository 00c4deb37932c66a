import { splitSymbol } from '../market/symbols';
import type { PortfolioSnapshot } from '../portfolio/types';

/** How the books and the exchange's account disagree, after the orders were reconciled at a live start. */
export interface BalanceFindings {
  /** The quote currency: set when the books' cash is off by more than the commission rule explains. */
  cash?: { books: number; exchange: number };
  /** Coins of open positions held in another amount than the commission rule explains. */
  positions: Array<{ symbol: string; books: number; exchange: number }>;
  /** Coins the account holds that no position explains; `symbol` when the bot trades it. */
  unknown: Array<{ asset: string; qty: number; symbol?: string }>;
}

export interface BalanceRules {
  symbols: readonly string[];
  /** The taker fee: Binance takes a buy's commission in the coin bought. */
  feeRate: number;
}

/**
 * Compares the books with the account. The commission rule: a buy's commission is taken in the coin, so
 * the account holds about qty x (1 - fee) of each position and its cash differs from the books' by about
 * the fee times the price moves of the round trips; a difference within twice that is no finding. Cash
 * differs when it is off by more than 0.2 % of the equity (and a cent); a coin when it is off by more than
 * twice the fee plus 0.1 % of the position.
 */
export function checkBalances(snapshot: PortfolioSnapshot, holdings: Readonly<Record<string, number>>, rules: BalanceRules): BalanceFindings {
  const findings: BalanceFindings = { positions: [], unknown: [] };
  const quote = snapshot.quoteCurrency;
  const exchangeCash = holdings[quote] ?? 0;
  if (Math.abs(exchangeCash - snapshot.cash) > Math.max(0.01, 0.002 * snapshot.equity)) findings.cash = { books: snapshot.cash, exchange: exchangeCash };
  const held = new Map(snapshot.positions.map((p) => [splitSymbol(p.symbol).base, p]));
  for (const [asset, qty] of Object.entries(holdings)) {
    if (asset === quote || !(qty > 0)) continue;
    const position = held.get(asset);
    if (position) {
      if (Math.abs(qty - position.qty * (1 - rules.feeRate)) > position.qty * (rules.feeRate * 2 + 0.001)) {
        findings.positions.push({ symbol: position.symbol, books: position.qty, exchange: qty });
      }
      continue;
    }
    const symbol = rules.symbols.find((s) => splitSymbol(s).base === asset);
    findings.unknown.push(symbol === undefined ? { asset, qty } : { asset, qty, symbol });
  }
  for (const position of snapshot.positions) {
    const asset = splitSymbol(position.symbol).base;
    if (!(asset in holdings) || !((holdings[asset] ?? 0) > 0)) findings.positions.push({ symbol: position.symbol, books: position.qty, exchange: 0 });
  }
  return findings;
}

export interface AccountPlan {
  /** What the books must take from the account, if anything. */
  reconciliation?: { cash?: number; adopt: Array<{ symbol: string; qty: number; price: number }> };
  /** One sentence each, for the log. */
  warnings: string[];
}

/**
 * What to do about the findings: the exchange wins for the cash; a position held in another amount is
 * reported (exits sell what the account holds); a coin no position explains is reported and left alone,
 * or with `adoptUnknown` taken in at `priceOf` its symbol when the bot trades it and a price is known. A
 * coin of a traded symbol worth less than the smallest order is dust a sell's lot size left: no finding.
 */
export function planAccount(
  findings: BalanceFindings,
  rules: { quote: string; adoptUnknown: boolean; minNotional: number },
  priceOf: (symbol: string) => number | undefined,
): AccountPlan {
  const { quote, adoptUnknown, minNotional } = rules;
  const warnings: string[] = [];
  const adopt: Array<{ symbol: string; qty: number; price: number }> = [];
  if (findings.cash) {
    warnings.push(`the books held ${findings.cash.books} ${quote} and the account holds ${findings.cash.exchange}: the books take the account's`);
  }
  for (const p of findings.positions) {
    warnings.push(`the books hold ${p.books} of ${p.symbol} and the account ${p.exchange}, more apart than the commission explains; exits sell what the account holds`);
  }
  for (const u of findings.unknown) {
    const price = u.symbol === undefined ? undefined : priceOf(u.symbol);
    // What a sell leaves below the market's lot size: not worth an order, and no one's position.
    if (price !== undefined && u.qty * price < minNotional) continue;
    if (adoptUnknown && u.symbol !== undefined && price !== undefined) {
      adopt.push({ symbol: u.symbol, qty: u.qty, price });
      warnings.push(`the account holds ${u.qty} ${u.asset} that no position explains: taken into the books at ${price} (state.adoptUnknownBalances)`);
    } else {
      warnings.push(`the account holds ${u.qty} ${u.asset} that no position explains: left alone, never traded${u.symbol !== undefined ? ' (state.adoptUnknownBalances takes it in)' : ''}`);
    }
  }
  const reconciliation = findings.cash !== undefined || adopt.length > 0 ? { ...(findings.cash ? { cash: findings.cash.exchange } : {}), adopt } : undefined;
  return reconciliation ? { reconciliation, warnings } : { warnings };
}
