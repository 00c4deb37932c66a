/**
 * Client order ids for one run: `<prefix>-1`, `<prefix>-2`, ... A counter rather than random or clock-based
 * ids, so two runs with the same inputs produce identical orders and fills. `last` lets a resumed run go on
 * from where its state file says.
 */
export class OrderIdSequence {
  constructor(
    private readonly prefix: string,
    private count = 0,
  ) {
    if (prefix === '') throw new Error('order id prefix must not be empty');
  }

  /** The number of the last id made. */
  get last(): number {
    return this.count;
  }

  next(): string {
    return `${this.prefix}-${++this.count}`;
  }
}

/** The sequence as a function, for whoever only needs the next id. */
export function createOrderIds(prefix: string): () => string {
  const sequence = new OrderIdSequence(prefix);
  return () => sequence.next();
}
