// "Did you mean" for names a rule got wrong: the known names closest to the one written, by edit
// distance (a typo such as `contry` or `lifecyle`), or ending the same way (`lifecycle` for `scores.lifecycle`).

/** Edit distance with transpositions (optimal string alignment), giving up above `max`. */
const distance = (a: string, b: string, max: number): number => {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(
        rows[i - 1]![j]! + 1,
        row[j - 1]! + 1,
        rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
};

/** Up to `limit` known names near `name`, nearest first. */
export const nearestNames = (name: string, known: readonly string[], limit = 3): string[] => {
  const lower = name.toLowerCase();
  const max = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const scored: { name: string; d: number }[] = [];
  for (const k of known) {
    const kl = k.toLowerCase();
    const d = kl.endsWith(`.${lower}`) ? 0.5 : distance(lower, kl, max);
    if (d <= max) scored.push({ name: k, d });
  }
  return scored
    .sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
    .map((s) => s.name);
};

/** `; did you mean a or b?`, or nothing when no name is near. */
export const didYouMean = (name: string, known: readonly string[]): string => {
  const near = nearestNames(name, known);
  if (near.length === 0) return '';
  return `; did you mean ${near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near.at(-1)}`}?`;
};
