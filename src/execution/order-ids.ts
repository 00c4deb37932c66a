/**
 * Client order ids for one run: `<prefix>-1`, `<prefix>-2`, ... A counter rather than random or clock-based
 * ids, so two runs with the same inputs produce identical orders and fills.
 */
export function createOrderIds(prefix: string): () => string {
  if (prefix === '') throw new Error('order id prefix must not be empty');
  let sequence = 0;
  return () => `${prefix}-${++sequence}`;
}
