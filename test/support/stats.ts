// Pearson's chi-square goodness of fit, for tests that check a draw is uniform: the p-value from the regularized
// upper incomplete gamma function (series below a + 1, Lentz's continued fraction above), as in R's pchisq.
import { lnGamma } from '../../src/judge/statistics.ts'

/** P(X >= x) for X ~ chi-square with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1
  const a = df / 2
  const z = x / 2
  const front = Math.exp(a * Math.log(z) - z - lnGamma(a))
  if (z < a + 1) {
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= z / (a + n)
      sum += term
    }
    return Math.max(0, 1 - front * sum)
  }
  const tiny = 1e-300
  let b = z + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-15) break
  }
  return front * h
}

export interface GoodnessOfFit {
  statistic: number
  df: number
  p: number
}

/**
 * Observed counts per category against the shares a uniform draw gives them (any positive weights, e.g. each
 * category's size in the population). Every expected count should be at least 5.
 */
export function chiSquareTest(observed: readonly number[], weights: readonly number[]): GoodnessOfFit {
  if (observed.length !== weights.length || observed.length < 2)
    throw new Error('chiSquareTest: observed and weights need the same length, at least 2')
  const n = observed.reduce((s, x) => s + x, 0)
  const total = weights.reduce((s, x) => s + x, 0)
  let statistic = 0
  for (let i = 0; i < observed.length; i++) {
    const expected = (n * weights[i]!) / total
    statistic += (observed[i]! - expected) ** 2 / expected
  }
  const df = observed.length - 1
  return { statistic, df, p: chiSquareSf(statistic, df) }
}

/** Counts of `items` per category, in the order of `categories`. */
export function countBy<T>(
  items: readonly T[],
  categories: readonly string[],
  key: (item: T) => string,
): number[] {
  const counts = new Map(categories.map((c) => [c, 0]))
  for (const item of items) {
    const k = key(item)
    if (!counts.has(k)) throw new Error(`countBy: ${k} is not a category`)
    counts.set(k, counts.get(k)! + 1)
  }
  return categories.map((c) => counts.get(c)!)
}
