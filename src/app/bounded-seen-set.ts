/** A bounded set of recently seen keys (least recently seen dropped first), for in-process de-duplication. */

export interface SeenSet {
  /** Records the key; false when it was already there (it then counts as seen again, most recently). */
  add(key: string): boolean;
  readonly size: number;
}

export function createSeenSet(maxSize: number): SeenSet {
  if (!Number.isSafeInteger(maxSize) || maxSize < 1) throw new Error(`maxSize must be a positive integer, got ${maxSize}`);
  // A Map iterates in insertion order: re-inserting a key makes it the newest; the first key is the oldest.
  const keys = new Map<string, true>();
  return {
    add(key) {
      const seen = keys.delete(key);
      keys.set(key, true);
      if (keys.size > maxSize) keys.delete(keys.keys().next().value as string);
      return !seen;
    },
    get size() {
      return keys.size;
    },
  };
}
