/**
 * The allowed word nearest to a misspelt one, to suggest a fix: the same word in other case first (`jobtitle` for
 * `jobTitle`), else the nearest within edit distance 2 that is not a whole rewrite of a short word.
 */
export function closest(key: string, allowed: Iterable<string>): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const word of allowed) {
    if (word === key) continue;
    const distance = word.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, word);
    if (distance <= 2 && distance < key.length && (!best || distance < best.distance)) best = { word, distance };
  }
  return best?.word;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
