/** How much of the account one entry spends, as `trade.stake` says it. */
export type Stake = { kind: 'all' } | { kind: 'quote'; amount: number } | { kind: 'percent'; percent: number };

// Plain decimals only: "1e3", ".5" or "+5" are more likely typos than intent in a config file.
const DECIMAL = /^\d+(\.\d+)?$/;

export function parseStake(text: string): Stake {
  if (text === 'all') return { kind: 'all' };
  if (text.endsWith('%')) {
    const digits = text.slice(0, -1);
    const percent = Number(digits);
    if (DECIMAL.test(digits) && percent > 0 && percent <= 100) return { kind: 'percent', percent };
  } else if (DECIMAL.test(text)) {
    const amount = Number(text);
    if (amount > 0) return { kind: 'quote', amount };
  }
  throw new Error(`stake "${text}" is not valid: use all, a quote amount like 100, or a percentage like 10%`);
}

export interface StakeBasis {
  /** Cash not already promised to pending buys. */
  freeCash: number;
  equity: number;
}

/**
 * Quote currency to spend on one entry. Never negative: float dust can leave free cash a hair below zero,
 * and the risk gate, not the stake, is what refuses an entry there is no cash for.
 */
export function stakeQuoteAmount(stake: Stake, basis: StakeBasis): number {
  switch (stake.kind) {
    case 'all':
      return Math.max(0, basis.freeCash);
    case 'quote':
      return stake.amount;
    case 'percent':
      return Math.max(0, (basis.equity * stake.percent) / 100);
  }
}
