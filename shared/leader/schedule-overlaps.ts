/** For each item, the ids of the other items whose [start, end) overlaps it. */
export function overlaps<T extends { id: string; start: string; end: string }>(
  items: readonly T[],
): Map<string, string[]> {
  const spans = items
    .map((i) => ({ id: i.id, start: Date.parse(i.start), end: Date.parse(i.end) }))
    .sort((a, b) => a.start - b.start);
  const found = new Map<string, string[]>(items.map((i) => [i.id, []]));
  for (let a = 0; a < spans.length; a++) {
    // Sorted by start: once one begins after `a` ends, none of the rest can overlap it.
    for (let b = a + 1; b < spans.length && spans[b]!.start < spans[a]!.end; b++) {
      found.get(spans[a]!.id)!.push(spans[b]!.id);
      found.get(spans[b]!.id)!.push(spans[a]!.id);
    }
  }
  return found;
}
