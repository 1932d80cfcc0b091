/** What a cleaning function makes of one value: the value (with doubts), or why it cannot be used. */
export type Cleaned<T> =
  | { readonly value: T; readonly warnings: readonly string[] }
  | { readonly reason: string; readonly warnings: readonly string[] };

/** Shared empty warning list: most values have none, and clean rows should allocate little. */
export const NO_WARNINGS: readonly string[] = Object.freeze([]);

export const ok = <T>(value: T, warnings: readonly string[] = NO_WARNINGS): Cleaned<T> => ({
  value,
  warnings,
});

export const bad = <T>(reason: string, warnings: readonly string[] = NO_WARNINGS): Cleaned<T> => ({
  reason,
  warnings,
});
