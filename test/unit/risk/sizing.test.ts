import { parseStake, stakeQuoteAmount, type Stake } from '../../../src/risk/sizing';

describe('parseStake', () => {
  it.each<[string, Stake]>([
    ['all', { kind: 'all' }],
    ['250', { kind: 'quote', amount: 250 }],
    ['250.5', { kind: 'quote', amount: 250.5 }],
    ['0.01', { kind: 'quote', amount: 0.01 }],
    ['10%', { kind: 'percent', percent: 10 }],
    ['0.5%', { kind: 'percent', percent: 0.5 }],
    ['100%', { kind: 'percent', percent: 100 }],
  ])('reads "%s"', (text, stake) => {
    expect(parseStake(text)).toEqual(stake);
  });

  it.each(['', 'ALL', ' all', '0', '0.0', '-5', '+5', '1e3', '.5', '5.', '10 %', '%', '0%', '100.01%', '150%', 'ten', '10%%', '$100', 'Infinity', 'NaN'])(
    'refuses "%s" with the accepted forms',
    (text) => {
      expect(() => parseStake(text)).toThrow(`stake "${text}" is not valid: use all, a quote amount like 100, or a percentage like 10%`);
    },
  );
});

describe('stakeQuoteAmount', () => {
  const basis = { freeCash: 800, equity: 1500 };

  it('spends all the free cash for "all"', () => {
    expect(stakeQuoteAmount({ kind: 'all' }, basis)).toBe(800);
  });

  it('spends the fixed amount whatever the account holds', () => {
    expect(stakeQuoteAmount({ kind: 'quote', amount: 250 }, basis)).toBe(250);
  });

  it('spends a percentage of equity, not of free cash', () => {
    // 1500 x 10 / 100 = 150
    expect(stakeQuoteAmount({ kind: 'percent', percent: 10 }, basis)).toBe(150);
  });

  it('never asks for a negative amount when free cash is below zero', () => {
    expect(stakeQuoteAmount({ kind: 'all' }, { freeCash: -1e-12, equity: 1000 })).toBe(0);
  });
});
