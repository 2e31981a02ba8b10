/** Durations of the protection rule settings ("30m", "24h", "2d"): parsed once, in milliseconds. Pure. */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const DURATION_PATTERN = /^([1-9][0-9]{0,4})([mhd])$/;

/** Longest wait a protection rule may be held for. */
export const MAX_WAIT_LIMIT_MS = 7 * UNIT_MS.d;

export const DEFAULT_MAX_WAIT = '24h';

/** Milliseconds of "30m" / "24h" / "2d", or null when the text is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
