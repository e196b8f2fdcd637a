// Small, exact-where-possible statistics for paired canary/production samples. Pure functions, no
// dependencies: every formula here is textbook (R's wilcox.test, binom.test and quantile type 7), so the
// numbers the summary shows can be reproduced with R or scipy.

/**
 * Quantile of an ascending-sorted sample, Hyndman & Fan type 7 (R's default, numpy's "linear"):
 * h = (n - 1) p, linear interpolation between the order statistics around h. NaN for an empty sample.
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  if (p <= 0) return sorted[0]!
  if (p >= 1) return sorted[n - 1]!
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const a = sorted[lo]!
  const b = sorted[Math.min(lo + 1, n - 1)]!
  return a + (h - lo) * (b - a)
}

export function sortedAscending(values: readonly number[]): number[] {
  // A typed array sorts numerically (a plain array's default sort compares strings).
  return Array.from(Float64Array.from(values).sort())
}

/** Type-7 quantiles of an unsorted sample, one per probability. */
export function quantiles(values: readonly number[], ps: readonly number[]): number[] {
  const sorted = sortedAscending(values)
  return ps.map((p) => quantileSorted(sorted, p))
}

export function median(values: readonly number[]): number {
  return quantiles(values, [0.5])[0]!
}

// --- Normal distribution -------------------------------------------------------------------------

/**
 * Complementary error function to ~1e-15: the Maclaurin series of erf below 2.5, the Laplace continued
 * fraction above (which keeps relative precision in the far tail, where p-values live).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  if (x < 0) return 2 - erfc(-x)
  if (x < 2.5) {
    let term = x
    let sum = x
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n
      const add = term / (2 * n + 1)
      sum += add
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum
  }
  if (x > 27) return 0
  let f = x
  for (let k = 120; k >= 1; k--) f = x + k / 2 / f
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2)
}

/** P(Z >= z), precise in the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}

// --- Binomial ------------------------------------------------------------------------------------

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x)
  const y = x - 1
  let a = LANCZOS[0]!
  const t = y + 7.5
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i)
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a)
}

function binomialLogPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity
  if (p === 1) return k === n ? 0 : -Infinity
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)
}

/** P(X <= k) for X ~ Binomial(n, p), summed exactly (no normal approximation). */
export function binomialCdf(k: number, n: number, p = 0.5): number {
  if (k < 0) return 0
  if (k >= n) return 1
  let sum = 0
  for (let i = 0; i <= k; i++) sum += Math.exp(binomialLogPmf(i, n, p))
  return Math.min(1, sum)
}

/** P(X >= k) for X ~ Binomial(n, p), summed over the upper tail so small p-values keep their precision. */
export function binomialSf(k: number, n: number, p = 0.5): number {
  if (k <= 0) return 1
  if (k > n) return 0
  let sum = 0
  for (let i = k; i <= n; i++) sum += Math.exp(binomialLogPmf(i, n, p))
  return Math.min(1, sum)
}

export interface TestResult {
  /** P-value for "the first quantity tends to be larger" (e.g. the canary is slower). */
  pGreater: number
  pLess: number
  pTwoSided: number
}

/**
 * Exact binomial test of k successes in n trials against p = 0.5. Two-sided p is twice the smaller tail
 * (R's binom.test gives the same for p = 0.5, where the distribution is symmetric).
 */
export function binomialTest(k: number, n: number): TestResult {
  if (n === 0) return { pGreater: 1, pLess: 1, pTwoSided: 1 }
  const pGreater = binomialSf(k, n)
  const pLess = binomialCdf(k, n)
  return { pGreater, pLess, pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)) }
}

export interface McNemarResult extends TestResult {
  /** Pairs where only the first (e.g. the canary) had the outcome. */
  b: number
  /** Pairs where only the second (e.g. production) had it. */
  c: number
}

/**
 * Exact McNemar test on the discordant pairs of a paired binary outcome: under the null each discordant
 * pair is equally likely to go either way, so b ~ Binomial(b + c, 1/2). pGreater tests "b tends to exceed c".
 */
export function mcnemarExact(b: number, c: number): McNemarResult {
  return { b, c, ...binomialTest(b, b + c) }
}

// --- Wilcoxon signed-rank --------------------------------------------------------------------------

export interface WilcoxonResult extends TestResult {
  /** Non-zero differences (zeros are dropped, Wilcoxon's method, as R does). */
  n: number
  zeros: number
  /** Sum of the ranks of the positive differences (R's V). */
  wPlus: number
  /** Whether the p-values come from the exact null distribution (n < 50, no ties, no zeros). */
  exact: boolean
  /** The normal-approximation z (with tie and continuity corrections, two-sided direction); null when exact. */
  z: number | null
}

/** Average ranks (1-based) of ascending-sorted values; also the tie-group sizes. */
function averageRanks(sortedValues: readonly number[]): { ranks: number[]; ties: number[] } {
  const ranks = new Array<number>(sortedValues.length)
  const ties: number[] = []
  let i = 0
  while (i < sortedValues.length) {
    let j = i
    while (j + 1 < sortedValues.length && sortedValues[j + 1] === sortedValues[i]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) ranks[k] = rank
    if (j > i) ties.push(j - i + 1)
    i = j + 1
  }
  return { ranks, ties }
}

/** Number of subsets of {1..n} by sum: the exact null distribution of W+ times 2^n (exact in doubles up to n = 50). */
function signedRankCounts(n: number): number[] {
  const max = (n * (n + 1)) / 2
  const counts = new Array<number>(max + 1).fill(0)
  counts[0] = 1
  for (let i = 1; i <= n; i++) {
    for (let s = (i * (i + 1)) / 2; s >= i; s--) counts[s]! += counts[s - i]!
  }
  return counts
}

const EXACT_MAX_N = 50

/**
 * Wilcoxon signed-rank test of paired differences against a symmetric null around 0. Zeros are dropped;
 * with fewer than 50 differences and no ties the p-values are exact, otherwise the normal approximation
 * with tie-corrected variance and a continuity correction (identical to R's wilcox.test(paired = TRUE)).
 */
export function wilcoxonSignedRank(differences: readonly number[]): WilcoxonResult {
  const nonZero = differences.filter((d) => d !== 0 && !Number.isNaN(d))
  const zeros = differences.length - nonZero.length
  const n = nonZero.length
  if (n === 0) return { n, zeros, wPlus: 0, exact: true, z: null, pGreater: 1, pLess: 1, pTwoSided: 1 }

  const order = nonZero.map((d) => ({ d, a: Math.abs(d) })).sort((x, y) => x.a - y.a)
  const { ranks, ties } = averageRanks(order.map((o) => o.a))
  let wPlus = 0
  order.forEach((o, i) => {
    if (o.d > 0) wPlus += ranks[i]!
  })
  const mean = (n * (n + 1)) / 4

  if (n < EXACT_MAX_N && ties.length === 0 && zeros === 0) {
    const counts = signedRankCounts(n)
    const total = 2 ** n
    const w = Math.round(wPlus)
    let below = 0
    for (let s = 0; s <= w; s++) below += counts[s]!
    let above = 0
    for (let s = w; s < counts.length; s++) above += counts[s]!
    const pLess = below / total
    const pGreater = above / total
    return {
      n,
      zeros,
      wPlus,
      exact: true,
      z: null,
      pGreater,
      pLess,
      pTwoSided: Math.min(1, 2 * Math.min(pLess, pGreater)),
    }
  }

  const tieTerm = ties.reduce((sum, t) => sum + t * t * t - t, 0)
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48
  if (variance <= 0) return { n, zeros, wPlus, exact: false, z: 0, pGreater: 1, pLess: 1, pTwoSided: 1 }
  const sd = Math.sqrt(variance)
  const pGreater = normalSf((wPlus - mean - 0.5) / sd)
  const pLess = normalCdf((wPlus - mean + 0.5) / sd)
  const z = (wPlus - mean - Math.sign(wPlus - mean) * 0.5) / sd
  const pTwoSided = Math.min(1, 2 * Math.min(normalCdf(z), normalSf(z)))
  return { n, zeros, wPlus, exact: false, z, pGreater, pLess, pTwoSided }
}

// --- Distribution-free interval for a median ------------------------------------------------------

export interface MedianInterval {
  median: number
  /** Null when the sample is too small for the requested level. */
  lower: number | null
  upper: number | null
  /** The coverage actually achieved (order statistics give discrete levels, never below the requested one). */
  level: number | null
}

/**
 * Median with the sign-test confidence interval [x(k), x(n-k+1)], k the largest integer with
 * P(Binomial(n, 1/2) <= k - 1) <= (1 - level) / 2. Needs no bootstrap and no distributional assumption.
 */
export function medianInterval(values: readonly number[], level = 0.95): MedianInterval {
  const sorted = sortedAscending(values)
  const n = sorted.length
  const mid = quantileSorted(sorted, 0.5)
  const tail = (1 - level) / 2
  let k = 0
  let cumulative = 0
  // Walk up the lower tail of Binomial(n, 1/2) until it would exceed the allowed tail mass.
  for (let j = 0; j < n / 2; j++) {
    cumulative += Math.exp(binomialLogPmf(j, n, 0.5))
    if (cumulative > tail) break
    k = j + 1
  }
  if (k === 0) return { median: mid, lower: null, upper: null, level: null }
  const achieved = 1 - 2 * binomialCdf(k - 1, n)
  return { median: mid, lower: sorted[k - 1]!, upper: sorted[n - k]!, level: achieved }
}
