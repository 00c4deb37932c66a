/**
 * At most `buckets` items: `items` cut into that many consecutive, near-equal runs, keeping the last item
 * of each. The last item overall always survives, so a chart ends on the final value, not an earlier one.
 */
export function lastOfBuckets<T>(items: ArrayLike<T>, buckets: number): T[] {
  if (!Number.isInteger(buckets) || buckets < 1) throw new Error(`bucket count ${buckets} must be a positive integer`);
  if (items.length <= buckets) return Array.from(items);
  const kept: T[] = [];
  for (let b = 1; b <= buckets; b++) {
    // Bucket b - 1 covers indexes [floor((b - 1) n / buckets), floor(b n / buckets)); keep its last one.
    const item = items[Math.floor((b * items.length) / buckets) - 1];
    if (item !== undefined) kept.push(item);
  }
  return kept;
}
