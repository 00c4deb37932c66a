import { deriveSeed, Rng } from '../../../src/market/rng';

function draws(rng: Rng, count: number, draw: (r: Rng) => number): number[] {
  return Array.from({ length: count }, () => draw(rng));
}

describe('Rng', () => {
  it('gives the same sequence for the same seed', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    expect(draws(a, 500, (r) => r.next())).toEqual(draws(b, 500, (r) => r.next()));
    expect(draws(a, 500, (r) => r.normal())).toEqual(draws(b, 500, (r) => r.normal()));
    expect(draws(a, 500, (r) => r.int(-3, 3))).toEqual(draws(b, 500, (r) => r.int(-3, 3)));
  });

  it('gives unrelated sequences for neighbouring seeds', () => {
    const a = draws(new Rng(7), 100, (r) => r.next());
    const b = draws(new Rng(8), 100, (r) => r.next());
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it('draws next() uniformly from [0, 1)', () => {
    const values = draws(new Rng(123), 100_000, (r) => r.next());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 2);
    const lowestTenth = values.filter((v) => v < 0.1).length / values.length;
    expect(lowestTenth).toBeCloseTo(0.1, 2);
  });

  it('draws normal() with mean 0 and standard deviation 1', () => {
    const values = draws(new Rng(5), 100_000, (r) => r.normal());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(sd).toBeCloseTo(1, 1);
    // About 4.55 % of a normal lies beyond 2 standard deviations.
    expect(values.filter((v) => Math.abs(v) > 2).length / values.length).toBeCloseTo(0.0455, 2);
  });

  it('draws int(min, max) from both ends of the range and nothing outside it', () => {
    const values = draws(new Rng(9), 10_000, (r) => r.int(-2, 2));
    expect([...new Set(values)].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    expect(new Rng(1).int(4, 4)).toBe(4);
  });

  it('refuses seeds that are not 32-bit unsigned integers and bad int ranges', () => {
    expect(() => new Rng(-1)).toThrow(/seed must be an integer/);
    expect(() => new Rng(2 ** 32)).toThrow(/seed must be an integer/);
    expect(() => new Rng(1.5)).toThrow(/seed must be an integer/);
    expect(() => new Rng(0xffffffff).next()).not.toThrow();
    expect(() => new Rng(1).int(3, 2)).toThrow(/min <= max/);
  });

  it('derives different stream seeds for different labels, the same for the same label', () => {
    expect(deriveSeed(7, 'BTC/USDT')).toBe(deriveSeed(7, 'BTC/USDT'));
    expect(deriveSeed(7, 'BTC/USDT')).not.toBe(deriveSeed(7, 'ETH/USDT'));
    expect(deriveSeed(7, 'BTC/USDT')).not.toBe(deriveSeed(8, 'BTC/USDT'));
    const seed = deriveSeed(0xffffffff, 'x');
    expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
  });
});
