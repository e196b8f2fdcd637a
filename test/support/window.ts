// Counting requests the way a server sees a rate cap: the most that fall within any window of a given length.

/** The most of `times` (milliseconds, any order) within any half-open window [t, t + windowMs). */
export function peakInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b)
  let peak = 0
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++
    peak = Math.max(peak, i - j + 1)
  }
  return peak
}
