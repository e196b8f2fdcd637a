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

/** The shortest time `count` of `times` span (first to last); Infinity when there are fewer. */
export function shortestSpan(times: readonly number[], count: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let shortest = Number.POSITIVE_INFINITY
  for (let i = 0; i + count - 1 < sorted.length; i++)
    shortest = Math.min(shortest, (sorted[i + count - 1] as number) - (sorted[i] as number))
  return shortest
}
